"""调阅 (R19.1, Art. 19): access beyond one's scope, time-limited grants, and watermarks."""
