"""`flask sites api-key`, `flask sites coral-secret`, `flask sites alerts` and
`flask alerts deliver`: the Perspective-compatible API's keys, the Coral Talk phase's signing
secret, and alerts for urgent items."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .cli import _fail, sites_cli
from .errors import ServiceError
from .extensions import app_settings, db


@sites_cli.command("api-key")
@click.argument("name")
@click.option("--create", "action", flag_value="create", default=True,
              help="Create a key (the default); it is shown once.")
@click.option("--list", "action", flag_value="list", help="List the site's keys.")
@click.option("--revoke", metavar="PREFIX", help="Revoke the key whose prefix --list shows.")
@click.option("--label", help="A note to tell keys apart, e.g. 'coral production'.")
def sites_api_key(name: str, action: str, revoke: str | None, label: str | None):
    """Keys for the Perspective-compatible API (/v1alpha1/comments:analyze?key=...)."""
    from .services import perspective
    try:
        if revoke:
            row = perspective.revoke_key(db.session, name, revoke)
            click.echo(f"revoked {row.prefix}... of site {name}")
        elif action == "list":
            for row in perspective.list_keys(db.session, name):
                state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "live"
                click.echo(f"{row.prefix}...  {state}  created {row.created_at:%Y-%m-%d %H:%M}"
                           f"  {row.label or ''}".rstrip())
        else:
            row, key = perspective.create_key(db.session, name, label)
            click.echo(f"key: {key}")
            click.echo("shown once; only its hash is stored. Base URL for clients: "
                       "<this service>/v1alpha1 (Coral: Perspective endpoint setting)")
    except ServiceError as exc:
        _fail(exc)


@sites_cli.command("coral-secret")
@click.argument("name")
@click.option("--secret", prompt="Coral's signing secret for this phase", hide_input=True,
              help="The phase's signing secret as Coral shows it (prompted when left out, so "
                   "it stays out of the shell history).")
@click.option("--grace-hours", type=click.IntRange(0, 2160), default=24, show_default=True,
              help="How long secrets given before keep working (Coral rolling a secret).")
@click.option("--premod-threat/--no-premod-threat", default=None,
              help="Answer PREMOD for threats, so Coral withholds them (off by default).")
def sites_coral_secret(name: str, secret: str, grace_hours: int, premod_threat: bool | None):
    """Set the signing secret of the Coral Talk external moderation phase of a site."""
    from .services import coral
    try:
        coral.add_secret(db.session, app_settings(), name, secret, grace_hours=grace_hours,
                         premod_threat=premod_threat)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"phase URL: /integrations/coral/sites/{name}/phase")
    click.echo(f"earlier secrets stay valid for {grace_hours} h")


@sites_cli.command("alerts")
@click.argument("name")
@click.option("--email", default="", help="Who is alerted when an item arrives: a@x,b@y.")
@click.option("--chat-url", default="", help="A Slack-compatible incoming-webhook URL "
              "(Mattermost and Teams workflows accept the same JSON).")
@click.option("--on", "on", default="crisis,threat", show_default=True,
              help="Flags that alert: among crisis, threat, unscored, distress, hostile.")
@click.option("--leads", default="", help="Who gets the reminders (unclaimed at half the "
              "deadline, overdue); default: the --email list.")
def sites_alerts(name: str, email: str, chat_url: str, on: str, leads: str):
    """Set who is alerted about a site's urgent items (no recipient turns alerts off)."""
    from .services.alerts import configure_alerts
    try:
        site = configure_alerts(db.session, name, emails=email.split(","), chat_url=chat_url,
                                on=on.split(","), leads=leads.split(","))
    except ServiceError as exc:
        _fail(exc)
    alerts = site.alerts
    if not alerts:
        click.echo(f"{name}: alerts off")
        return
    click.echo(f"{name}: alerts on {','.join(alerts['on'])} to {len(alerts['email'])} "
               f"address(es){', chat' if alerts['chat_url'] else ''}; reminders to "
               f"{len(alerts['leads'] or alerts['email'])} lead address(es)")


alerts_cli = AppGroup("alerts", help="Alerts for urgent items (e-mail, chat webhook).")


@alerts_cli.command("deliver")
@click.option("--once", is_flag=True, help="One round (plan and send what is due), then exit.")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=1.0, show_default=True,
              help="Seconds between rounds when nothing was due.")
def alerts_deliver(once: bool, interval: float):
    """The alert worker: plans alerts from the queue and sends them, with retries. Safe to
    restart and to run more than once (each alert has a unique dedupe key)."""
    import signal

    from flask import current_app

    from .services import alerts
    settings = alerts.AlertSettings.from_config(current_app.config)
    if once:
        report = alerts.run_once(db.session, settings)
        click.echo(f"planned {report.planned}, delivered {report.delivered}, "
                   f"retried {report.retried}, failed {report.failed}")
        return
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    click.echo(f"alert worker running (every {interval} s when idle); Ctrl-C or SIGTERM stops")
    try:
        alerts.run_forever(db.session, settings, interval=interval, should_stop=lambda: bool(stop))
    except KeyboardInterrupt:
        pass
