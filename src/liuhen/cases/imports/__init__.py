"""Import of existing cases from the bureau's earlier records (spreadsheets, paper files).

``template`` names the columns, ``reader`` reads an XLSX or CSV file into rows, ``rows``
checks one row and says every problem in Chinese; the action that writes a case is
``liuhen.cases.actions.imports``. docs/import.md is the guide for the people who fill the
template.
"""
