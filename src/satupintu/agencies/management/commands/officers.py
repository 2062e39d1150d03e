"""``satupintu officers``: create officer accounts and manage their roles in agencies.

Examples::

    satupintu officers add budi --name "Budi Santoso" --email budi@pemkab.example \\
        --nip 198503122010011004 --role verifier@PEMKAB --role liaison@DINKES
    printf '%s\\n' "$PASSWORD" | satupintu officers add sari --name "Sari Dewi" \\
        --role sysadmin@PEMKAB --password-stdin
    satupintu officers grant budi agency_head@DINKES
    satupintu officers revoke budi liaison@DINKES      # the membership stays, inactive
    satupintu officers list --agency DINKES

Roles: verifier, liaison, agency_head, leader, evaluator, sysadmin (a sysadmin also gets
``is_staff``, so they can sign in to the admin; it is taken away again when their last sysadmin
role is revoked, unless they are a superuser). ``add`` prints a generated password once, unless
``--password-stdin`` reads one from standard input.

Every user and membership change is audited like an admin edit (chains ``user:<id>`` and
``membership:<id>``). Bad input (an unknown role, agency or user, a username that is taken) exits
with status 2 and writes nothing.
"""

from __future__ import annotations

import re
import secrets
import sys
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from satupintu.agencies.models import Agency, Membership, Role
from satupintu.core import audit
from satupintu.core.audit import cli_actor
from satupintu.core.cli import usage_error
from satupintu.core.models import User

USER_AUDIT_EXCLUDE = ("password", "last_login")  # as agencies.admin.UserAdmin
ROLE_LIST = ", ".join(Role.values)
_NIP = re.compile(r"[0-9]{18}")


@dataclass(frozen=True)
class Grant:
    role: str
    agency: Agency

    def __str__(self) -> str:
        return f"{self.role}@{self.agency.code}"


def parse_grant(text: str) -> Grant:
    """``ROLE@AGENCY_CODE`` → Grant; CommandError (exit 2) naming what is wrong."""
    role, at, code = text.strip().partition("@")
    role, code = role.strip(), code.strip()
    if not at or not role or not code:
        raise usage_error(f"invalid role {text!r}: expected ROLE@AGENCY_CODE, e.g. verifier@PEMKAB")
    if role not in Role.values:
        raise usage_error(f"unknown role {role!r} in {text!r}: expected one of {ROLE_LIST}")
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise usage_error(
            f"unknown agency {code!r} in {text!r}: see `satupintu agencies list` for the codes"
        )
    if not agency.is_active:
        raise usage_error(f"agency {code} is inactive: roles there grant nothing")
    return Grant(role=role, agency=agency)


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise usage_error(f"unknown user {username!r}: see `satupintu officers list`")
    return user


def _user_snapshot(user: User) -> dict[str, Any]:
    return audit.snapshot(user, exclude=USER_AUDIT_EXCLUDE)


def generate_password() -> str:
    """A strong random password (about 120 bits), URL-safe so it survives copy and paste."""
    return secrets.token_urlsafe(15)


class Command(BaseCommand):
    help = "Create officer accounts; grant, revoke and list their roles in agencies."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True, metavar="{add,grant,revoke,list}")
        add = sub.add_parser(
            "add",
            help="create an officer with one or more roles",
            description="Create an officer account with roles (ROLE@AGENCY_CODE; roles: "
            f"{ROLE_LIST}). A generated password is printed once unless --password-stdin.",
        )
        add.add_argument("username", metavar="USERNAME")
        add.add_argument("--name", required=True, help='full name, e.g. "Budi Santoso"')
        add.add_argument("--email", default="", help="e-mail address")
        add.add_argument("--nip", default="", help="Nomor Induk Pegawai (18 digits)")
        add.add_argument(
            "--role",
            action="append",
            required=True,
            metavar="ROLE@AGENCY_CODE",
            help="a role in an agency, e.g. verifier@PEMKAB; repeat for several",
        )
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
        for name, text in (
            ("grant", "give USERNAME a role in an agency (or reactivate a revoked one)"),
            ("revoke", "take a role away (the membership is kept, inactive)"),
        ):
            cmd = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
            cmd.add_argument("username", metavar="USERNAME")
            cmd.add_argument("grant", metavar="ROLE@AGENCY_CODE")
        lst = sub.add_parser(
            "list",
            help="who holds which roles",
            description="List officers and their active roles, one officer per line.",
        )
        lst.add_argument("--agency", metavar="CODE", help="only roles in this agency")
        lst.add_argument(
            "--all", action="store_true", help="include revoked roles, marked (revoked)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cmd = options["cmd"]
        if cmd == "add":
            self.add(options)
        elif cmd == "grant":
            self.grant(options["username"], options["grant"])
        elif cmd == "revoke":
            self.revoke(options["username"], options["grant"])
        else:
            self.list_roles(options["agency"], include_revoked=options["all"])

    # ----------------------------------------------------------------------------- add

    def add(self, options: dict[str, Any]) -> None:
        username = options["username"].strip()
        try:
            User.username_validator(username)
        except ValidationError:
            raise usage_error(
                f"invalid username {username!r}: use letters, digits and @ . + - _ only"
            ) from None
        if len(username) > 150:
            raise usage_error("invalid username: at most 150 characters")
        if User.objects.filter(username__iexact=username).exists():
            raise usage_error(f"username {username!r} is already taken")
        name = " ".join(options["name"].split())
        if not name:
            raise usage_error("--name is empty: give the officer's full name")
        first, _, last = name.partition(" ")
        if len(first) > 150 or len(last) > 150:
            raise usage_error(
                "--name is too long (first and last name at most 150 characters each)"
            )
        email = options["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise usage_error(f"invalid e-mail address {email!r}") from None
        nip = re.sub(r"[\s.]", "", options["nip"])
        if nip and not _NIP.fullmatch(nip):
            raise usage_error(f"invalid NIP {options['nip']!r}: a NIP has 18 digits")
        grants = list(dict.fromkeys(parse_grant(text) for text in options["role"]))
        user = User(username=username, first_name=first, last_name=last, email=email, nip=nip)
        user.is_staff = any(g.role == Role.SYSADMIN for g in grants)
        if options["password_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise usage_error("--password-stdin: standard input gave an empty password")
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise usage_error("password rejected: " + " ".join(exc.messages)) from None
        else:
            password = generate_password()
        user.set_password(password)
        actor = cli_actor()
        try:
            with transaction.atomic():
                self._create(user, grants, actor=actor)
        except IntegrityError:  # the same username was added at the same moment
            raise usage_error(f"username {username!r} is already taken") from None
        roles = ", ".join(str(g) for g in grants)
        staff = " (admin access: is_staff)" if user.is_staff else ""
        self.stdout.write(f"created {username} ({name}) with roles {roles}{staff}")
        if not options["password_stdin"]:
            self.stdout.write(f"password for {username} (shown only this once): {password}")

    def _create(self, user: User, grants: list[Grant], *, actor: str) -> None:
        user.save()
        audit.record_change(actor=actor, obj=user, before=None, after=_user_snapshot(user))
        for grant in grants:
            membership = Membership.objects.create(user=user, agency=grant.agency, role=grant.role)
            audit.record_change(
                actor=actor, obj=membership, before=None, after=audit.snapshot(membership)
            )

    # ----------------------------------------------------------------------------- grant

    def grant(self, username: str, text: str) -> None:
        user = _user(username)
        grant = parse_grant(text)
        actor = cli_actor()
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            membership = (
                Membership.objects.select_for_update()
                .filter(user=user, agency=grant.agency, role=grant.role)
                .first()
            )
            if membership is not None and membership.is_active:
                self.stdout.write(f"{username} already holds {grant}: nothing changed")
                return
            if membership is None:
                membership = Membership.objects.create(
                    user=user, agency=grant.agency, role=grant.role
                )
                audit.record_change(
                    actor=actor, obj=membership, before=None, after=audit.snapshot(membership)
                )
                done = "granted"
            else:
                before = audit.snapshot(membership)
                membership.is_active = True
                membership.save(update_fields=["is_active"])
                audit.record_change(
                    actor=actor, obj=membership, before=before, after=audit.snapshot(membership)
                )
                done = "granted again (reactivated)"
            if grant.role == Role.SYSADMIN and not user.is_staff:
                self._set_staff(user, is_staff=True, actor=actor)
        self.stdout.write(f"{done} {grant} to {username}")

    # ----------------------------------------------------------------------------- revoke

    def revoke(self, username: str, text: str) -> None:
        user = _user(username)
        grant = parse_grant(text)
        actor = cli_actor()
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            membership = (
                Membership.objects.select_for_update()
                .filter(user=user, agency=grant.agency, role=grant.role)
                .first()
            )
            if membership is None:
                raise usage_error(f"{username} does not hold {grant}: nothing to revoke")
            if not membership.is_active:
                self.stdout.write(f"{grant} of {username} is already revoked: nothing changed")
                return
            before = audit.snapshot(membership)
            membership.is_active = False
            membership.save(update_fields=["is_active"])
            audit.record_change(
                actor=actor, obj=membership, before=before, after=audit.snapshot(membership)
            )
            still_admin = Membership.objects.filter(
                user=user, role=Role.SYSADMIN, is_active=True
            ).exists()
            lost_staff = (
                grant.role == Role.SYSADMIN
                and user.is_staff
                and not user.is_superuser
                and not still_admin
            )
            if lost_staff:
                self._set_staff(user, is_staff=False, actor=actor)
        note = " (admin access removed: no sysadmin role left)" if lost_staff else ""
        self.stdout.write(f"revoked {grant} from {username}{note}")

    def _set_staff(self, user: User, *, is_staff: bool, actor: str) -> None:
        before = _user_snapshot(user)
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
        audit.record_change(actor=actor, obj=user, before=before, after=_user_snapshot(user))

    # ----------------------------------------------------------------------------- list

    def list_roles(self, agency_code: str | None, *, include_revoked: bool) -> None:
        memberships = Membership.objects.select_related("user", "agency").order_by(
            "user__username", "agency__code", "role"
        )
        if agency_code is not None:
            agency = Agency.objects.filter(code=agency_code.strip()).first()
            if agency is None:
                raise usage_error(f"unknown agency {agency_code!r}: see `satupintu agencies list`")
            memberships = memberships.filter(agency=agency)
        if not include_revoked:
            memberships = memberships.filter(is_active=True)
        by_user: dict[int, tuple[User, list[str]]] = {}
        for m in memberships:
            label = f"{m.role}@{m.agency.code}" + ("" if m.is_active else " (revoked)")
            by_user.setdefault(m.user_id, (m.user, []))[1].append(label)
        if not by_user:
            self.stdout.write("no officers hold a role" + (" there" if agency_code else ""))
            return
        rows: list[tuple[str, str, str]] = []
        for user, labels in by_user.values():
            name = user.get_full_name() + ("" if user.is_active else " [account disabled]")
            rows.append((user.username, name, ", ".join(labels)))
        width_user = max(len(r[0]) for r in rows)
        width_name = max(len(r[1]) for r in rows)
        for username, name, roles in rows:
            self.stdout.write(f"{username:<{width_user}}  {name:<{width_name}}  {roles}")
