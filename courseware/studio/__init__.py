"""The author's tools: the studio home, learners, analytics (and, later, the editor and media)."""
