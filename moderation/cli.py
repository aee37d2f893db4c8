"""`flask` commands: sites, users, demo (blueprints stay thin; commands call services)."""
from __future__ import annotations

import secrets
import sys
from datetime import UTC

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from . import policy
from .errors import ServiceError
from .extensions import app_settings, db
from .models import ItemState


def _fail(exc: ServiceError):
    raise click.ClickException(exc.message)


sites_cli = AppGroup("sites", help="Publisher sites and their webhook secrets.")
users_cli = AppGroup("users", help="Moderator and admin accounts.")
resources_cli = AppGroup("resources", help="Support resources and reply drafts.")
callbacks_cli = AppGroup("callbacks", help="Decision callbacks to publishers' sites.")


@sites_cli.command("create")
@click.argument("name")
@click.option("--region", help="Default ISO 3166 region of the site's readers, e.g. GB.")
@click.option("--callback-url", help="Where decisions are sent back (optional).")
def sites_create(name: str, region: str | None, callback_url: str | None):
    """Create a site and print its webhook and callback secrets (shown once)."""
    from .services.sites import create_site_with_secrets
    try:
        made = create_site_with_secrets(db.session, app_settings(), name, region=region,
                                        callback_url=callback_url)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"site: {made.site.slug}")
    click.echo(f"webhook URL: /api/v1/sites/{made.site.slug}/comments")
    click.echo(f"secret: {made.secret}")
    click.echo(f"callback secret: {made.callback_secret}")


@sites_cli.command("rotate-secret")
@click.argument("name")
@click.option("--grace-hours", type=click.IntRange(0, 30 * 24), default=None,
              help="How long the old secret keeps working, 0 to 720 hours "
                   "(default SECRET_ROTATION_GRACE_HOURS).")
@click.option("--callback", is_flag=True,
              help="The secret that signs decision callbacks, not the webhook's.")
def sites_rotate(name: str, grace_hours: int | None, callback: bool):
    """Issue a new secret; the old one keeps working for the grace period."""
    from flask import current_app

    from .services.sites import rotate_secret
    hours = grace_hours if grace_hours is not None else current_app.config[
        "SECRET_ROTATION_GRACE_HOURS"]
    try:
        secret = rotate_secret(db.session, app_settings(), name, grace_hours=hours,
                               purpose="callback" if callback else "webhook")
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"{'callback secret' if callback else 'secret'}: {secret}")
    click.echo(f"the previous secret stays valid for {hours} h")


@sites_cli.command("configure")
@click.argument("name")
@click.option("--region", help="Default ISO 3166 region of the site's readers.")
@click.option("--callback-url", help="Where decisions are sent back ('' removes it).")
@click.option("--threshold", "thresholds", multiple=True, metavar="FLAG=VALUE",
              help="Tune a flag's threshold for this site, e.g. distress=0.6 (repeatable).")
@click.option("--topic", "topics", multiple=True, metavar="TOPIC=KW1,KW2",
              help="Extra article keywords for a topic, e.g. caregiving=carer,respite.")
def sites_configure(name, region, callback_url, thresholds, topics):
    """Change a site's region, callback URL, flag thresholds or topic keywords."""
    from .services.sites import configure_site
    try:
        parsed_thresholds = {k.strip(): float(v) for k, v in
                             (t.split("=", 1) for t in thresholds)}
        parsed_topics = {k.strip(): [w.strip() for w in v.split(",") if w.strip()]
                         for k, v in (t.split("=", 1) for t in topics)}
    except ValueError:
        raise click.BadParameter("use FLAG=VALUE and TOPIC=KW1,KW2") from None
    try:
        site = configure_site(db.session, name, region=region, callback_url=callback_url,
                              thresholds=parsed_thresholds or None,
                              topic_keywords=parsed_topics or None)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"{site.slug}: region {site.default_region or '-'}, "
               f"callback {site.callback_url or '-'}, thresholds {site.thresholds or 'default'}, "
               f"topics {site.topic_keywords or 'default'}")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "lead", "moderator"]), default="moderator")
@click.option("--password", help="Prompted for when left out.")
def users_create(email: str, role: str, password: str | None):
    """Create a user."""
    from .services.users import create_user
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email, password, role)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"created {user.role} {user.email}")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", help="Prompted for when left out.")
def users_set_password(email: str, password: str | None):
    """Set a user's password."""
    from .services.users import set_password
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(db.session, email, password)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"password set for {email}")


@users_cli.command("token")
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="How long it lasts (default: API_TOKEN_DAYS, 90).")
def users_token(email: str, days: int | None):
    """Issue an API bearer token for an admin (shown once)."""
    from .services.tokens import issue_token
    try:
        click.echo(issue_token(db.session, email,
                               days or current_app.config["API_TOKEN_DAYS"]))
    except ServiceError as exc:
        _fail(exc)


@users_cli.command("revoke-token")
@click.argument("email")
@click.option("--all", "everything", is_flag=True, help="Every live token of the user.")
@click.option("--prefix", help="The one token that starts so (as `users token` and "
              "/admin/tokens show it, e.g. modtok_AbCd1234).")
def users_revoke_token(email: str, everything: bool, prefix: str | None):
    """Revoke an admin's API token(s): refused at once (401)."""
    from .services.tokens import revoke_tokens
    try:
        rows = revoke_tokens(db.session, email, prefix=prefix, everything=everything)
    except ServiceError as exc:
        _fail(exc)
    shown = ", ".join(r.prefix or f"#{r.id}" for r in rows) or "none was live"
    click.echo(f"revoked {len(rows)} token(s) of {email}: {shown}")


@resources_cli.command("load")
def resources_load():
    """Copy the shipped catalog into the database (admins' edits are kept)."""
    from .services.support import load_resources
    counts = load_resources(db.session)
    click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))


@resources_cli.command("suggest")
@click.argument("comment_id", type=int)
def resources_suggest(comment_id: int):
    """Print the suggested resources and reply draft for a comment (the webhook's id)."""
    from .services.support import suggestions_for_comment_id
    try:
        result = suggestions_for_comment_id(db.session, comment_id)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"comment {comment_id}: flags {', '.join(result['flags']) or 'none'}; "
               f"region {result['region']}; topics {', '.join(result['topics']) or 'none'}")
    if not result["resources"]:
        click.echo("no resources suggested")
    for r in result["resources"]:
        contact = " / ".join(x for x in (r["phone"], r["sms"] and f"text {r['sms']}", r["url"])
                             if x)
        click.echo(f"{r['rank']}. {r['name']}: {contact}  ({r['reason']})")
    if result["draft"]:
        click.echo("\nReply draft (edit before sending; nothing is sent automatically):\n")
        click.echo(result["draft"])


@callbacks_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due and exit (for cron).")
@click.option("--interval", default=2.0, help="Seconds between polls when idle.")
def callbacks_deliver(once: bool, interval: float):
    """Deliver decision callbacks to sites, with retries and backoff."""
    from .services.callbacks import deliver_due, deliver_forever
    if once:
        report = deliver_due(db.session, app_settings())
        click.echo(f"delivered {report.delivered}, retry later {report.retried}, "
                   f"failed {report.failed}")
    else:
        deliver_forever(db.session, app_settings(), interval=interval)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "ndjson", "json"]), default="csv")
@click.option("-o", "--output", default="-", help="A file, or - for standard output.")
@click.option("--site")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this day (UTC).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="To this day, inclusive.")
@click.option("--flag", type=click.Choice(policy.values()))
@click.option("--decision",
              type=click.Choice(["approve", "hide", "escalate", "replied", "not_a_concern"]))
@click.option("--state", type=click.Choice([s.value for s in ItemState]))
@click.option("--include-text", is_flag=True, help="Add comment text (audited).")
def export_command(fmt, output, site, since, until, flag, decision, state, include_text):
    """Export the moderation log: one row per flagged or decided comment."""
    import sys

    from .services.export import ExportFilters, count_rows, export
    filters = ExportFilters(site=site, since=since.date() if since else None,
                            until=until.date() if until else None, flag=flag,
                            decision=decision, state=state, include_text=include_text)
    try:
        filters.validate()
    except ServiceError as exc:
        _fail(exc)
    chunks = export(db.session, filters, fmt)
    if output == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    total = count_rows(db.session, filters) if sys.stderr.isatty() else None
    with open(output, "w", encoding="utf-8", newline="") as out:
        if total is None:
            for chunk in chunks:
                out.write(chunk)
        else:
            with click.progressbar(length=total, label="exporting", file=sys.stderr) as bar:
                for chunk in chunks:
                    out.write(chunk)
                    bar.update(chunk.count("\n") or 0)
    click.echo(f"wrote {output}", err=True)


analysis_cli = AppGroup("analysis", help="The tone engine: re-scoring, training data.")


@analysis_cli.command("rescore")
@click.option("--since", type=click.DateTime(), help="Only comments received since (UTC).")
@click.option("--site", "site_slug", help="Only this site's comments.")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=200, show_default=True)
def analysis_rescore(since, site_slug: str | None, batch_size: int):
    """Score stored comments with the current model (resumable, safe while serving): a new
    analysis per comment, more urgent open items, newly flagged comments queued; decided
    items are never changed."""
    from .analysis import MODEL_VERSION
    from .models import Site
    from .services.ingest import site_thresholds
    from .services.rescore import count_pending, rescore

    if since is not None:
        since = since.replace(tzinfo=UTC)
    settings = app_settings()
    sites = {s.id: site_thresholds(s, settings) for s in db.session.scalars(sa.select(Site))}
    total = count_pending(db.session, since=since, site_slug=site_slug)
    click.echo(f"{total} comments to score with {MODEL_VERSION}", err=True)
    with click.progressbar(length=total, label="rescoring", file=sys.stderr) as bar:
        report = rescore(db.session, thresholds_for=sites.__getitem__,
                         deadlines=settings.response_deadlines, since=since,
                         site_slug=site_slug, batch_size=batch_size, progress=bar.update)
    click.echo(f"scored {report.scored}, newly queued {report.queued}, made more urgent "
               f"{report.raised}, decided items left unchanged {report.unchanged_decided}; "
               f"flags {dict(sorted(report.per_flag.items()))}")


@analysis_cli.command("calibrate")
@click.option("--site", "site_slug", required=True, help="The site to calibrate.")
@click.option("--apply", "apply_", is_flag=True, help="Write the proposed thresholds (audited).")
def analysis_calibrate(site_slug: str, apply_: bool):
    """Propose a site's flag thresholds from its moderators' decisions (crisis only ever
    goes down); --apply writes them."""
    from .models import Site
    from .services.calibrate import propose
    from .services.ingest import site_thresholds
    from .services.sites import configure_site

    site = db.session.scalar(sa.select(Site).where(Site.slug == site_slug))
    if site is None:
        raise click.ClickException(f"no site {site_slug!r}")
    proposals = propose(db.session, site.id, site_thresholds(site, app_settings()))
    for p in proposals:
        click.echo(f"{p.flag:9s} {p.current:.2f} -> {p.proposed:.2f}  decided {p.decided} "
                   f"(confirmed {p.confirmed}, false alarms {p.false_alarms}); flagged "
                   f"{p.flagged_now} -> {p.flagged_then} of stored comments; confirmed items "
                   f"missed {p.confirmed_missed}. {p.reason}")
    changed = {p.flag: p.proposed for p in proposals if p.proposed != p.current}
    if apply_ and changed:
        try:
            configure_site(db.session, site_slug, thresholds=changed)
        except ServiceError as exc:
            _fail(exc)
        click.echo(f"applied {changed}")
    elif changed:
        click.echo("nothing written: run again with --apply to use these thresholds")
    else:
        click.echo("no change proposed")


@analysis_cli.command("labels")
@click.option("--out", "output", required=True, type=click.Path(dir_okay=False),
              help="JSON lines file to write (it holds comment text: keep it on this machine).")
@click.option("--site", "site_slug", help="Only this site's decisions.")
def analysis_labels(output: str, site_slug: str | None):
    """Write moderators' decisions as labelled comments, for
    `python -m moderation.analysis train --extra FILE`."""
    import json

    from .services.labels import decision_labels
    n = 0
    with open(output, "w", encoding="utf-8") as out:
        for row in decision_labels(db.session, site_slug):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    click.echo(f"wrote {n} labelled comments to {output}")


retention_cli = AppGroup("retention", help="Remove old comment text and identities.")
authors_cli = AppGroup("authors", help="Readers' rights: erasure.")


@retention_cli.command("apply")
@click.option("--days", type=int, help="Default: RETENTION_DAYS.")
@click.option("--yes", is_flag=True, help="Apply; without it this is a dry run.")
def retention_apply(days: int | None, yes: bool):
    """Redact text and author identity of comments older than the retention period."""
    from .services.privacy import apply_retention
    report = apply_retention(db.session, app_settings(), days=days, apply=yes)
    verb = "redacted" if report.applied else "would redact"
    click.echo(f"{verb} {report.comments} comments received before "
               f"{report.cutoff:%Y-%m-%d %H:%M} UTC; delivery records: {report.deliveries}")
    if report.applied:
        click.echo(f"decisions redacted {report.decisions}, audit rows redacted "
                   f"{report.audit_events}, sent outbox rows removed {report.outbox_rows}")
    else:
        click.echo("dry run: add --yes to apply")


@authors_cli.command("erase")
@click.argument("site")
@click.argument("author_id")
def authors_erase(site: str, author_id: str):
    """Erase one reader's text and identity on a site (their log stays pseudonymous)."""
    from .services.privacy import erase_author
    try:
        n = erase_author(db.session, app_settings(), site, author_id)
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"erased text and identity from {n} comments")


@click.command("demo")
@click.option("--admin-email", default="admin@demo.example.org")
def demo_command(admin_email: str):
    """Create the demo site, its sample comments and a demo admin (prints the login)."""
    import sqlalchemy as sa

    from .demo import demo_payload
    from .models import Site, User
    from .payload import parse_payload
    from .services.ingest import ingest_comments
    from .services.sites import create_site
    from .services.support import load_resources
    from .services.users import create_user
    load_resources(db.session)
    site = db.session.scalar(sa.select(Site).where(Site.slug == "demo"))
    if site is None:
        site, secret = create_site(db.session, app_settings(), "demo", name="Demo health site",
                                   region="GB")
        click.echo(f"demo site created; webhook secret: {secret}")
    results = ingest_comments(db.session, app_settings(), site, parse_payload(demo_payload()))
    queued = sum(r.status == "queued" for r in results)
    click.echo(f"{len(results)} demo comments, {queued} queued for review")
    if db.session.scalar(sa.select(User.id).where(User.email == admin_email)) is None:
        password = secrets.token_urlsafe(12)
        create_user(db.session, admin_email, password, "admin")
        click.echo(f"demo admin: {admin_email}  password: {password}")
    else:
        click.echo(f"demo admin {admin_email} exists (reset: flask users set-password)")


secrets_cli = AppGroup("secrets", help="The key that encrypts signing secrets at rest.")


@secrets_cli.command("rotate-key")
def secrets_rotate_key():
    """Re-encrypt every stored signing secret with the newest key in SECRETS_KEY (after
    it, the older keys can be removed from SECRETS_KEY)."""
    from .services.keys import reseal_all
    click.echo(f"re-encrypted {reseal_all(db.session, app_settings())} secrets with the newest key")


def register(app: Flask) -> None:
    from . import cli_integrations  # `sites api-key`, `sites coral-secret`, `sites alerts`
    app.cli.add_command(cli_integrations.alerts_cli)
    app.cli.add_command(sites_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(resources_cli)
    app.cli.add_command(callbacks_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(retention_cli)
    app.cli.add_command(secrets_cli)
    app.cli.add_command(analysis_cli)
    app.cli.add_command(authors_cli)
    app.cli.add_command(demo_command)
