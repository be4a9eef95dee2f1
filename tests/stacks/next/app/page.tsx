import ExportJobs from "./export-jobs";

export default function Home() {
  return (
    <main>
      <h1>Export jobs of Cluster0</h1>
      <ExportJobs />
    </main>
  );
}
