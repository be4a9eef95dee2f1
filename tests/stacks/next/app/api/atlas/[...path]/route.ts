import { createAtlasProxy } from "atlas-export-jobs/server";

const proxy = createAtlasProxy({
  baseUrl: process.env.MONGODB_ATLAS_BASE_URL,
  auth: {
    type: "serviceAccount",
    clientId: process.env.MONGODB_ATLAS_CLIENT_ID,
    clientSecret: process.env.MONGODB_ATLAS_CLIENT_SECRET,
  },
  prefix: "/api/atlas",
  onError: (error) => console.error(error),
});

export const GET = proxy;
