"""The self-verifying archive package of an archived case (制度第十八条; DA/T 46, DA/T 63,
DA/T 70): an OCFL 1.1 object that an outsider checks with ``python -m
liuhen.verify_package`` (layout and checks in ``docs/archive-package.md``)."""
