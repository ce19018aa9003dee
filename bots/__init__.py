"""Chat front ends of the assistant (they import the core; the core never imports them)."""
