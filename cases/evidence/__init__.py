"""Evidence files attached to cases: content-addressed storage, the chain's record, access."""
