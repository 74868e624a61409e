"""Archiving (制度第十八条): the case file (案卷), its archive number and retention, the
freeze of an archived case, and the self-verifying archive package."""
