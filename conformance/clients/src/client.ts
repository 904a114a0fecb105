// A small typed client over the generated documents: if the schema and the documents drift
// apart, `tsc --noEmit` fails here.
import { graphql } from "./gql";
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";

export const ProjectCards = graphql(`
  query ProjectCards($first: Int!, $after: String) {
    projects(first: $first, after: $after) {
      edges { cursor node { id code title status startDate viewerCanUpdate } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`);

export const RenameProject = graphql(`
  mutation RenameProject($input: UpdateProjectInput!) {
    updateProject(input: $input) { project { id title version updatedAt } }
  }
`);

export type Card = { code: string; title: string; editable: boolean; starts: string };

export function cards(page: ResultOf<typeof ProjectCards>): Card[] {
  return page.projects.edges.map(({ node }) => ({
    code: node.code,
    title: node.title ?? node.code,
    editable: node.viewerCanUpdate,
    starts: node.startDate,
  }));
}

export function nextPage(page: ResultOf<typeof ProjectCards>): VariablesOf<typeof ProjectCards> | null {
  const info = page.projects.pageInfo;
  return info.hasNextPage && info.endCursor ? { first: 20, after: info.endCursor } : null;
}

export function renamed(
  id: string,
  version: number,
  title: string,
): VariablesOf<typeof RenameProject> {
  return { input: { id, expectedVersion: version, title: [{ language: "en", text: title }] } };
}
