// GraphQL Code Generator's client preset, as docs/frontend.md recommends: types from the live
// schema (introspected over HTTP) for docs/operations/ and the small client in src/.
import type { CodegenConfig } from "@graphql-codegen/cli";

const url = process.env.MOSAIC_URL;
if (!url) throw new Error("MOSAIC_URL is not set");

const config: CodegenConfig = {
  schema: `${url}/graphql`,
  documents: ["../../docs/operations/*.graphql", "src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        scalars: {
          DateTime: "string",
          OffsetDateTime: "string",
          Date: "string",
          LocalTime: "string",
          Decimal: "string",
          JSON: "unknown",
        },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { persistedDocuments: true },
    },
  },
};
export default config;
