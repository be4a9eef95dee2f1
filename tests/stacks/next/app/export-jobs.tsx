"use client";

import { AtlasClient, isAtlasError, type ExportJob } from "atlas-export-jobs";
import { useEffect, useState } from "react";

declare global {
  interface Window {
    checkResult?: { ids: (string | undefined)[]; totalCount: number | undefined } | { error: string };
  }
}

export default function ExportJobs() {
  const [jobs, setJobs] = useState<ExportJob[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const groupId = new URLSearchParams(window.location.search).get("groupId") ?? process.env.NEXT_PUBLIC_ATLAS_GROUP_ID ?? "";
    const atlas = new AtlasClient({ baseUrl: "/api/atlas", auth: { type: "none" } });
    const controller = new AbortController();
    atlas.listExportJobs({ groupId, clusterName: "Cluster0" }, { signal: controller.signal }).then(
      (page) => {
        setJobs(page.results);
        window.checkResult = { ids: page.results.map((job) => job.id), totalCount: page.totalCount };
      },
      (error: unknown) => {
        if (isAtlasError(error) && error.kind === "aborted") return;
        setError(String(error));
        window.checkResult = { error: String(error) };
      },
    );
    return () => controller.abort();
  }, []);

  if (error) return <p role="alert">{error}</p>;
  if (!jobs) return <p>Loading…</p>;
  return (
    <ul>
      {jobs.map((job) => (
        <li key={job.id}>
          {job.id} {job.state}
        </li>
      ))}
    </ul>
  );
}
