"""Enrolments, the lesson player, watch-time heartbeats, progress and the dashboard."""
