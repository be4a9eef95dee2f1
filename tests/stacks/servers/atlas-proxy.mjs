// The proxy every server here mounts at /api/atlas: the service account comes from the
// environment, and onError logs the failure behind each 5xx it answers.
import { createAtlasProxy } from "atlas-export-jobs/server";

const { ATLAS_BASE_URL, ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET } = process.env;

export const proxy = createAtlasProxy({
  baseUrl: ATLAS_BASE_URL,
  auth: { type: "serviceAccount", clientId: ATLAS_CLIENT_ID, clientSecret: ATLAS_CLIENT_SECRET },
  prefix: "/api/atlas",
  onError: (error, request) => console.error("Atlas proxy:", request.method, new URL(request.url).pathname, error),
});
