export { type ApiTokenSource, resolveApiToken } from './api-token.ts';
export { buildLocalApiApp, type LocalApi, type LocalApiOptions, startLocalApi } from './local-api.ts';
export { fromOqsXml, ResultXmlError, toOqsXml } from './oqs-xml.ts';
export { type PatientSummary, patientSummary } from './patient-summary.ts';
export { PROBLEM_CONTENT_TYPE, type Problem, type ProblemCode, problemType } from './problem-details.ts';
export {
  parseQualificationResult,
  type QualificationResult,
  QualificationResultError,
  qualificationResultSchema,
  type ResultOfQualificationConfirmation,
} from './qualification.ts';
export {
  ResultFolder,
  ResultFolderError,
  type ResultFolderOptions,
  resultFileBase,
} from './result-folder.ts';
export { type HeldResult, ResultMemory, type ResultMemoryOptions } from './result-memory.ts';
export { folderAndApiSink, type ResultSink } from './result-sink.ts';
