-- Which groups may deploy to which namespaces of an orchestrator (docs/security.md, "Destinations"): a JSON array of
-- {"namespaces": [...], "groups": [...]}. allowed_groups stays as the union of their groups. An orchestrator's allowed
-- groups become one destination giving them every namespace ("*", which never covers default, kube-* or Windlass's
-- own namespace), which is what they could do before.
alter table orchestrator add column destinations text;
update orchestrator
   set destinations = json_build_array(json_build_object('namespaces', json_build_array('*'),
                                                         'groups', to_json(allowed_groups)))::text
 where cardinality(allowed_groups) > 0;
