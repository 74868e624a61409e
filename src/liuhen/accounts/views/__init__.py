"""The accounts app's pages: login and second factor, the person's own account, and the
administration of accounts, units and security settings."""
