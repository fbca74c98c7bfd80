"""Addressing: routing by shared interest, addressee rows, and the batched fan-out.

Anything an organization addresses to sister organizations (an appeal; next, a joint statement, a
meeting, a day of action, advice) declares what it is, and gets the rest from here. This package
imports no domain app: they import it.

How an app uses it, as appeals do:

1. Declare the origin. A method on the addressed model returns a `routing.Origin`: the issuing
   organization, the country, the languages it is written in, the employer it concerns::

       def routing_origin(self) -> Origin:
           return Origin(issuer_id=self.organization_id, country=str(self.country),
                         languages=(self.language,), employer_id=self.employer_id)

2. Declare the addressee rows: a concrete `models.AddresseeBase` with a foreign key to the thing,
   named by `target_field`, its unique (thing, organization), its index (organization, thing) and
   the indexes of the pages that list and count them (`models.addressee_indexes`)::

       class Invitee(AddresseeBase):
           target_field = "meeting"
           meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                       related_name="invitees", db_index=False)
           class Meta:
               constraints = [models.UniqueConstraint(fields=["meeting", "organization"],
                                                      name="unique_invitee")]
               indexes = [models.Index(fields=["organization", "meeting"]),
                          *addressee_indexes("meeting", "cooperation_invitee")]

   Each row keeps its organization's country (written with it, and moved when the organization
   moves), so that `selectors` counts them per country and pages through one country's in the
   table's own indexes.

3. Route, record and fan out, in the app's service (its permission checked first)::

       candidates = route(meeting.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
       with transaction.atomic():
           addressees_record(model=Invitee, target=meeting, candidates=candidates,
                             ring=Ring.CHOSEN)
           fanout_on_commit(task=deliver_invitation, target_id=meeting.pk,
                            organization_ids=[c.organization_id for c in candidates])

   The task takes (target id, organization ids), is safe to run twice, and marks the rows
   `delivered_at`. Widening by one `Ring` is `route` again with `criteria.ring` raised, recorded
   with `on_conflict="ignore"`.

4. Front ends: the HTML routing step uses `forms.CriteriaForm` (`CriteriaForm.defaults(origin)`
   for the first preview); the API takes `api.CriteriaIn` and calls `payload.criteria()`, which
   turns slugs into ids. A preview (`preview.route_kept`) gives `Proposals`: each `Candidate` with
   its reasons, worded in the reader's language by `str(reason)`, and the figures per country and
   per reason, kept with them; a page of them is `selectors.page_of`. The page of addressees
   recorded is `selectors.addressees_of` with `selectors.addressee_countries` for the figures;
   countries are named by `selectors.country_name`.

5. The page that invites (or calls) with a preview is declared, not written: `views.InviteStep`
   takes the app's template, preview selector, service, invited ids, message and next page, and
   its `respond(request, thing)` serves the step once the app's view found the thing and checked
   its rule (days of action, statements, campaigns, meetings, library documents).
"""
