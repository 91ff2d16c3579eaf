"""Official letters: templates, Indonesian formatting, numbering format, context and rendering."""
