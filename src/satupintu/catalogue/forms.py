"""Forms of the catalogue pages in the desk: they parse what an officer typed; the services
(catalogue/services.py) decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Service, UnitProfile
from satupintu.catalogue.services import EDITABLE, NAME_MAX, TEXT_MAX
from satupintu.domain.evaluation.standard import COMPONENTS, Group

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX})


class VersionedForm(forms.Form):
    """Carries the version the officer loaded, so a change made meanwhile is not overwritten."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class NewServiceForm(forms.Form):
    name = forms.CharField(label=_("Nama layanan"), max_length=NAME_MAX)
    summary = forms.CharField(
        label=_("Uraian singkat"), required=False, widget=_textarea(2), max_length=TEXT_MAX
    )


class ServiceForm(VersionedForm):
    """Every editable field of a service, labelled as the model labels them."""

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        if not args and "data" not in kwargs:
            kwargs["initial"] = {
                **model_to_dict(service, fields=EDITABLE),
                "expected_version": service.version,
            }
        super().__init__(*args, **kwargs)
        widgets: dict[str, Any] = {key: _textarea() for key in EDITABLE}
        widgets.update(
            {"name": forms.TextInput, "decree": forms.TextInput, "is_active": forms.CheckboxInput}
        )
        widgets.update(decree_date=DATE, reviewed_on=DATE, summary=_textarea(2))
        self.fields.update(fields_for_model(Service, fields=EDITABLE, widgets=widgets))
        for key in ("decree_date", "reviewed_on"):
            self.fields[key].help_text = _("Tidak boleh di masa depan.")
        self.fields["participation"].help_text = _(
            "Misalnya forum konsultasi publik: kapan, dengan siapa."
        )

    @classmethod
    def showing(cls, service: Service) -> ServiceForm:
        """A form bound to the service's stored values, so errors can be shown on its fields."""
        data = {**model_to_dict(service, fields=EDITABLE), "expected_version": service.version}
        data = {key: value for key, value in data.items() if value not in (None, False)}
        form = cls(data, service=service)
        form.is_valid()
        return form

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the sections of the page, components in the law's order."""

        def of(group: Group) -> list[forms.BoundField]:
            return [self[c.key] for c in COMPONENTS if c.group is group]

        return [
            (str(_("Layanan")), [self["name"], self["summary"]]),
            (str(_("Komponen pelayanan kepada warga")), of(Group.DELIVERY)),
            (str(_("Komponen pengelolaan pelayanan")), of(Group.MANUFACTURING)),
            (
                str(_("Penetapan, pelibatan masyarakat, dan reviu")),
                [
                    self["decree"],
                    self["decree_date"],
                    self["participation"],
                    self["reviewed_on"],
                    self["is_active"],
                ],
            ),
        ]


class ProfileForm(VersionedForm):
    def __init__(self, *args: Any, profile: UnitProfile | None, **kwargs: Any) -> None:
        if not args and "data" not in kwargs and profile is not None:
            kwargs["initial"] = {
                **model_to_dict(profile, fields=("maklumat", "hours", "address")),
                "expected_version": profile.version,
            }
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                UnitProfile,
                fields=("maklumat", "hours", "address"),
                widgets={"maklumat": _textarea(4), "hours": _textarea(2), "address": _textarea(2)},
            )
        )


class PublishForm(VersionedForm):
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
