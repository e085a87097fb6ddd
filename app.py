"""The application factory: config, extensions, blueprints, CLI and error pages."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from courseware import cookies, templating, web
from courseware.config import load_config
from courseware.content import structure
from courseware.db import install_connection_settings
from courseware.extensions import csrf, db, limiter, login_manager, mail, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    _init_extensions(app)
    structure.init_app(app)
    web.init_app(app)  # before the blueprints: it sets the URL converters their routes use
    _register_blueprints(app)
    _register_cli(app)
    templating.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            install_connection_settings(engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    csrf.init_app(app)
    cookies.init_app(app)
    _init_limiter(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.unauthorized_handler(web.unauthorized)
    login_manager.session_protection = "basic"

    from courseware.accounts.signed_in import load_user

    login_manager.user_loader(load_user)


def _init_limiter(app: Flask) -> None:
    limiter.init_app(app)
    manager = limiter.limit_manager
    if not manager.default_limits and not manager.application_limits:
        # Every limit is a decorator on its route, which checks it as the route runs. Without
        # default or application-wide limits, the check Flask-Limiter also makes before every
        # request finds nothing to do, and costs each page about a tenth of a millisecond.
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def _register_blueprints(app: Flask) -> None:
    from courseware.accounts.views import bp as accounts_bp
    from courseware.assessment.views import bp as assessment_bp
    from courseware.catalog.views import bp as catalog_bp
    from courseware.certificates.views import bp as certificates_bp
    from courseware.learning.views import bp as learning_bp
    from courseware.media import bp as media_bp
    from courseware.notifications.inbox_views import bp as notifications_bp
    from courseware.notifications.views import bp as mailing_list_bp
    from courseware.payments.views import bp as payments_bp
    from courseware.studio.analytics_views import bp as studio_analytics_bp
    from courseware.studio.courses_views import bp as studio_courses_bp
    from courseware.studio.editor_views import bp as studio_editor_bp
    from courseware.studio.learner_views import bp as studio_learners_bp
    from courseware.studio.outline_views import bp as studio_outline_bp
    from courseware.studio.post_test_views import bp as studio_questions_bp
    from courseware.studio.uploads_views import bp as studio_media_bp
    from courseware.studio.views import bp as studio_bp
    from courseware.transcript.views import bp as transcript_bp
    from forum.views import bp as forum_bp

    blueprints = (
        accounts_bp, assessment_bp, catalog_bp, certificates_bp, learning_bp, mailing_list_bp, media_bp,
        notifications_bp, payments_bp, studio_bp, studio_editor_bp, studio_learners_bp, studio_analytics_bp,
        studio_questions_bp, studio_courses_bp, studio_outline_bp, studio_media_bp, transcript_bp, forum_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from courseware.accounts.cli import accounts_cli, demo_cli
    from courseware.assessment.cli import assessment_cli
    from courseware.content.cli import courses_cli
    from courseware.learning.cli import learners_cli
    from courseware.notifications.cli import notifications_cli, outbox_cli
    from courseware.studio.editor_cli import publish_due_command
    from forum.cli import forum_cli

    courses_cli.add_command(publish_due_command)  # flask courses publish-due (cron)
    for group in (
        courses_cli, learners_cli, outbox_cli, notifications_cli, demo_cli, accounts_cli, assessment_cli,
        forum_cli,
    ):
        app.cli.add_command(group)
