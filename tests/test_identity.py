"""Who the learner is, decided in one place, with how we know."""

from __future__ import annotations

import getpass

from stemtrain.identity import resolve_identity


def test_the_hub_user_wins_and_is_verified():
    who = resolve_identity({"JUPYTERHUB_USER": "ana", "STEMTRAIN_LEARNER": "Someone Else"})
    assert (who.learner, who.source, who.verified) == ("ana", "hub", True)
    assert who.how == "signed in through JupyterHub"


def test_a_proxy_header_counts_only_in_course_mode_and_is_trusted_only_when_configured():
    voila = {"SERVER_SOFTWARE": "voila/0.5.13", "HTTP_X_STEMTRAIN_USER": "ben"}
    assert (resolve_identity(voila).source, resolve_identity(voila).verified) == ("proxy-header", False)
    assert resolve_identity({**voila, "STEMTRAIN_TRUST_USER_HEADER": "1"}).verified
    assert resolve_identity({"HTTP_X_STEMTRAIN_USER": "ben"}).source != "proxy-header"  # not a Voilà kernel


def test_the_environment_then_the_profile_then_the_account():
    assert resolve_identity({"STEMTRAIN_LEARNER": "  Ana   Silva "}).learner == "Ana Silva"
    signed = resolve_identity({}, profile=lambda: ("staff-042", "Ana Silva"))
    assert (signed.learner, signed.display_name, signed.source, signed.verified) == ("staff-042", "Ana Silva", "profile", False)
    plain = resolve_identity({}, profile=lambda: None)
    assert (plain.learner, plain.source) == (getpass.getuser(), "os-account")


def test_names_are_kept_as_text_and_bounded():
    hostile = '<script>alert(1)</script>"; DROP TABLE answers;--'
    assert resolve_identity({"STEMTRAIN_LEARNER": hostile}).learner == hostile
    assert len(resolve_identity({"STEMTRAIN_LEARNER": "x" * 5000}).learner) == 500
    assert resolve_identity({"STEMTRAIN_LEARNER": "محمد 👩‍⚕️ Zoë"}).learner == "محمد 👩‍⚕️ Zoë"
