-- Query (a) by hand: the first 50 projects by code with their regions, lead organisation,
-- fundings with funder and first 5 workshops, as one statement returning one JSON document.
-- pgbench runs it to give the limit any GraphQL server on this database can approach.
SELECT json_agg(page ORDER BY page.code) FROM (
  SELECT p.code, p.title ->> 'en' AS title, p.status,
    (SELECT json_agg(json_build_object('nutsCode', r.nuts_code, 'name', r.name ->> r.language)
            ORDER BY r.nuts_code)
       FROM project_region pr JOIN region r ON r.id = pr.region_id
      WHERE pr.project_id = p.id) AS regions,
    (SELECT json_build_object('name', o.name ->> o.language)
       FROM project_participant pp JOIN organisation o ON o.id = pp.organisation_id
      WHERE pp.project_id = p.id AND pp.role = 'LEAD' LIMIT 1) AS lead_organisation,
    (SELECT json_agg(json_build_object('amountMinor', f.amount_minor, 'currency', f.currency,
                                       'funder', o.name ->> o.language) ORDER BY f.id)
       FROM funding f JOIN organisation o ON o.id = f.funder_id
      WHERE f.project_id = p.id) AS fundings,
    (SELECT json_agg(json_build_object('title', w.title ->> 'en', 'startsAt', w.starts_at)
            ORDER BY w.starts_at, w.id)
       FROM (SELECT * FROM workshop w WHERE w.project_id = p.id
              ORDER BY w.starts_at, w.id LIMIT 5) w) AS workshops
  FROM project p
  ORDER BY p.code
  LIMIT 50
) page;
