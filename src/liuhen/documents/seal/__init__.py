"""The bureau's electronic seal (R18.2): sealing and validating PDFs, the seal image, the
installed certificate and a demo CA."""
