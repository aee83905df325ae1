/** A file to write: path relative to the spec file, its exact content, and one line saying what it holds. */
export interface DemoFile {
  path: string;
  content: string;
  summary: string;
}
