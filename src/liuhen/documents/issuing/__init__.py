"""What issuing a document is made of (R6.1, R9, R18.2): its 文号, its print context and the
rendered, sealed PDF, its versions and who signs it. The actions write; these decide."""
