// Relay fragments over Mosaic's schema: every Node type is @refetchable, and the project list
// pages with @connection, and creates insert their edge with @appendEdge. The Relay compiler
// compiles them against the live schema.
declare function graphql(strings: TemplateStringsArray): unknown;

export const country = graphql`
  fragment Nodes_country on Country @refetchable(queryName: "NodesCountryRefetchQuery") {
    id
  }
`;

export const region = graphql`
  fragment Nodes_region on Region @refetchable(queryName: "NodesRegionRefetchQuery") {
    id
  }
`;

export const organisation = graphql`
  fragment Nodes_organisation on Organisation @refetchable(queryName: "NodesOrganisationRefetchQuery") {
    id
  }
`;

export const programme = graphql`
  fragment Nodes_programme on Programme @refetchable(queryName: "NodesProgrammeRefetchQuery") {
    id
  }
`;

export const resourceCentre = graphql`
  fragment Nodes_resourceCentre on ResourceCentre @refetchable(queryName: "NodesResourceCentreRefetchQuery") {
    id
  }
`;

export const project = graphql`
  fragment Nodes_project on Project @refetchable(queryName: "NodesProjectRefetchQuery") {
    id
  }
`;

export const milestone = graphql`
  fragment Nodes_milestone on Milestone @refetchable(queryName: "NodesMilestoneRefetchQuery") {
    id
  }
`;

export const contact = graphql`
  fragment Nodes_contact on Contact @refetchable(queryName: "NodesContactRefetchQuery") {
    id
  }
`;

export const funding = graphql`
  fragment Nodes_funding on Funding @refetchable(queryName: "NodesFundingRefetchQuery") {
    id
  }
`;

export const documentLink = graphql`
  fragment Nodes_documentLink on DocumentLink @refetchable(queryName: "NodesDocumentLinkRefetchQuery") {
    id
  }
`;

export const result = graphql`
  fragment Nodes_result on Result @refetchable(queryName: "NodesResultRefetchQuery") {
    id
  }
`;

export const indicator = graphql`
  fragment Nodes_indicator on Indicator @refetchable(queryName: "NodesIndicatorRefetchQuery") {
    id
  }
`;

export const indicatorPeriod = graphql`
  fragment Nodes_indicatorPeriod on IndicatorPeriod @refetchable(queryName: "NodesIndicatorPeriodRefetchQuery") {
    id
  }
`;

export const workshop = graphql`
  fragment Nodes_workshop on Workshop @refetchable(queryName: "NodesWorkshopRefetchQuery") {
    id
  }
`;

export const registration = graphql`
  fragment Nodes_registration on Registration @refetchable(queryName: "NodesRegistrationRefetchQuery") {
    id
  }
`;

export const apiToken = graphql`
  fragment Nodes_apiToken on ApiToken @refetchable(queryName: "NodesApiTokenRefetchQuery") {
    id
  }
`;

export const auditEvent = graphql`
  fragment Nodes_auditEvent on AuditEvent @refetchable(queryName: "NodesAuditEventRefetchQuery") {
    id
  }
`;

export const projects = graphql`
  fragment Nodes_projects on Query
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" })
  @refetchable(queryName: "NodesProjectsPaginationQuery") {
    projects(first: $count, after: $cursor) @connection(key: "Nodes_projects") {
      edges { node { id code title } }
      totalCount
    }
  }
`;

export const createWorkshop = graphql`
  mutation NodesCreateWorkshopMutation($input: CreateWorkshopInput!, $connections: [ID!]!) {
    createWorkshop(input: $input) {
      edge @appendEdge(connections: $connections) { cursor node { id title } }
    }
  }
`;

export const createOrganisation = graphql`
  mutation NodesCreateOrganisationMutation($input: CreateOrganisationInput!, $connections: [ID!]!) {
    createOrganisation(input: $input) {
      edge @appendEdge(connections: $connections) { cursor node { id name } }
    }
  }
`;
