"""Showing AV records (R21.1): Range serving of stored files and the player's viewing
tokens. The audited retrievals are ``media.actions.viewing``'."""
