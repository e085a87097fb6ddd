from flask.cli import AppGroup

learners_cli = AppGroup("learners", help="Learners and enrolments.")
