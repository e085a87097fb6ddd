"""Course files -> database: parse, validate, version; `flask courses sync|check`."""
