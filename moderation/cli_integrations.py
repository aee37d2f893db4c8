"""`flask sites api-key` and `flask sites coral-secret`: the Perspective-compatible API's keys
and the Coral Talk phase's signing secret."""
from __future__ import annotations

import click

from .cli import _fail, sites_cli
from .errors import ServiceError
from .extensions import db


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
        coral.add_secret(db.session, name, secret, grace_hours=grace_hours,
                         premod_threat=premod_threat)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"phase URL: /integrations/coral/sites/{name}/phase")
    click.echo(f"earlier secrets stay valid for {grace_hours} h")
