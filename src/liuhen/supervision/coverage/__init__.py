"""AV coverage of activities (R5, R14.1): how much of an activity's time its linked
recordings cover, and the gaps where the recording broke off (不得中断)."""
