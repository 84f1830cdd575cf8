/** The mlbatch client library: connect, services, batches, records, polling, downloads. */
export { connect, Client, type ConnectOptions } from './client.js';
export { Service, type ServiceCapabilities } from './service.js';
export { Batch, decodeArtifactBody, type DownloadOptions, type ResultsOptions } from './batch.js';
export { BatchResponse, ServiceResponse } from './responses.js';
export { MlBatchHttpError, MlBatchNetworkError, MlBatchNotFoundError, MlBatchProtocolError, MlBatchUsageError, isConnectionError, isFinalError } from './errors.js';
export { describeNotFound, type ExecutionName } from './not-found.js';
export { Http, normaliseHost, backoff, type HttpOptions, type CallOptions } from './http.js';
export { formatBytes, formatDuration, formatRate } from './units.js';
export { progressOf, type Progress, type ProgressInput } from './progress.js';
export type { Credentials } from './auth.js';
export * from './decode.js';
export { castValue, castOutputs } from './cast.js';
export { safeFileName, unsafeReason, checkFileName } from './safe-names.js';
export { safeText, UNSAFE_TEXT_CLASS, type SafeTextOptions } from './safe-text.js';
export { writeFileSafely, ensureDirectory, type WriteOptions, type WriteOutcome } from './files.js';
export {
  downloadMany, artifactNamesFromResults, type BulkDownloadOptions, type BulkDownloadResult, type BulkFileResult, type BulkProgress,
} from './bulk-download.js';
export {
  readRecords, previewRecords, detectFormat, formatProblem, RecordsError,
  type RecordProblem, type RecordsFormat, type RecordsPreview, type RecordsResult, type ReadRecordsOptions,
} from './records.js';
export { coerceValue, type Coerced } from './coerce.js';
export { nestedDeeperThan } from './nesting.js';
export {
  ErrorGrouper, groupErrors, groupIndices, maskMessage, errorMessageOf, type ErrorGroup, type ErrorGroups,
} from './error-groups.js';
export { Poller, type PollSnapshot, type PollerOptions, type ItemCounts } from './poller.js';
export { PollState } from './poll-state.js';
