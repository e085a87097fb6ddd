from flask.cli import AppGroup

courses_cli = AppGroup("courses", help="Course files: check, sync.")
