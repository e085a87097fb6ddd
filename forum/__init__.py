"""The community forum. It may import courseware; courseware never imports it."""
