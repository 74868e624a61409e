"""The AV record pages, one module per page area; ``media/urls.py`` names them."""
