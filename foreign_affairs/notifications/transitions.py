"""Telling people that a record moved: the mechanics every area shares.

An area's `notifying` module declares, per kind of record, a `RecordNotices` (the record's name in the
templates, its states, its pages, its transition template, key and headlines) and, per transition, who
is told; these methods do the rest, the same way in every area.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.urls import reverse

from .services import notify


@dataclass(frozen=True)
class RecordNotices:
    """How the notices about one kind of record are made.

    `name` is the record's name in the templates' context ("application", "card"); `states` the
    choices its `state` takes; `office_page` and `enterprise_page` the URL names of its back-office
    change page and of its page on the enterprise side (both take the primary key); `transition_template`
    and `headlines` ({transition: what happened}) make the notices of its transitions, whose keys start
    with `key_prefix`.
    """

    name: str
    states: type
    office_page: str
    enterprise_page: str
    transition_template: str
    headlines: Mapping[str, str]
    key_prefix: str

    def link(self, obj, user) -> str:
        """The page of `obj` that `user` can open: the back office for office staff, the enterprise page otherwise."""
        return reverse(self.office_page if user.is_office_staff else self.enterprise_page, args=[obj.pk])

    def state_label(self, obj) -> str:
        return self.states(obj.state).label

    def send(
        self, obj, people: Iterable, *, template: str, context: dict | None = None, key: str = "", actor=None
    ) -> int:
        """Queue `template` about `obj` to each of `people` but `actor` (who knows what they did), each with
        the link they can open (in-app now, e-mail after commit). The context holds `obj` under the
        record's name. With a `key`, a repeated call tells no one twice. Returns how many were told."""
        context = {self.name: obj, **(context or {})}
        told = 0
        for user in people:
            if actor is not None and user.pk == actor.pk:
                continue
            notify(recipient=user, template=template, context=context, link=self.link(obj, user), key=key)
            told += 1
        return told

    def transition(
        self, obj, name: str, *, people: Iterable, actor, comment: str, key: str = "", **context
    ) -> int:
        """Queue the notices of the transition `name` just run on `obj` by `actor` (None: the system).

        Each of `people` but the actor reads the headline, the comment, who acted and the new state.
        The key defaults to "<key_prefix>:<pk>:<transition>:<time the state was entered>", so that a
        transition run again later (a second endorsement after changes) is told again.
        """
        return self.send(
            obj,
            people,
            template=self.transition_template,
            context={
                "headline": self.headlines[name],
                "comment": comment,
                "actor": actor,
                "state": self.state_label(obj),
                **context,
            },
            key=key or f"{self.key_prefix}:{obj.pk}:{name}:{obj.state_changed_at.isoformat()}",
            actor=actor,
        )
