"""Identity: officer accounts, passwords, API tokens, web sessions and the registry's history."""
