"""How recordings come in (R15.1, R16.1, R17.1): the fields every way in checks, the
upload deadline, the tus upload machinery, collection-station folders and file names, the
probe of a file and its thumbnail. The writes are ``media.actions``'."""
