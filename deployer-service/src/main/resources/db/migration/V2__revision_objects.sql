-- The namespaced objects each revision applied or tried to apply, as a JSON array of {kind, namespace, name},
-- recorded before the apply starts (and widened if a later attempt renders more). A revision's prune lists only the
-- kinds of the objects earlier revisions recorded and it no longer has. Null on revisions stored before this
-- column existed: an app with such a revision is pruned by listing every kind, as before.
alter table revisions add column object_refs text;
