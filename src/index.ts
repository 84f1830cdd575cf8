/** Package entry: the client library (connect, services, batches, records, polling, downloads) and the wire types. */
export * from './protocol.js';
export { connect, Client, type ConnectOptions } from './client/client.js';
export { Service, type ServiceCapabilities } from './client/service.js';
export { Batch, decodeArtifactBody, type DownloadOptions, type ResultsOptions } from './client/batch.js';
export { BatchResponse, ServiceResponse } from './client/responses.js';
export { MlBatchHttpError, MlBatchLoginGoneError, MlBatchNetworkError, MlBatchNotFoundError, MlBatchProtocolError, MlBatchUsageError, isConnectionError, isFinalError } from './client/errors.js';
export { describeNotFound, type ExecutionName } from './client/not-found.js';
export { Http, normaliseHost, backoff, type HttpOptions, type CallOptions } from './client/http.js';
export { realClock, type Clock } from './client/clock.js';
export { formatBytes, formatDuration, formatRate } from './text/units.js';
export { progressOf, type Progress, type ProgressInput } from './watch/progress.js';
export type { Credentials } from './client/auth.js';
export type { TokenSet, TokenStore } from './client/token-store.js';
export * from './client/decode.js';
export { castValue, castOutputs } from './client/cast.js';
export { safeFileName, unsafeReason, checkFileName } from './client/safe-names.js';
export { safeText, UNSAFE_TEXT_CLASS, type SafeTextOptions } from './text/safe-text.js';
export { writeFileSafely, ensureDirectory, type WriteOptions, type WriteOutcome } from './client/files.js';
export {
  downloadMany, artifactNamesFromResults, type BulkDownloadOptions, type BulkDownloadResult, type BulkFileResult, type BulkProgress,
} from './client/bulk-download.js';
export {
  readRecords, previewRecords, detectFormat, formatProblem, RecordsError,
  type RecordProblem, type RecordsFormat, type RecordsPreview, type RecordsResult, type ReadRecordsOptions,
} from './records/records.js';
export { coerceValue } from './records/coerce.js';
export {
  ErrorGrouper, groupErrors, groupIndices, maskMessage, errorMessageOf, type ErrorGroup, type ErrorGroups,
} from './analysis/error-groups.js';
export { Poller, type PollSnapshot, type PollerOptions, type ItemCounts } from './watch/poller.js';
export { PollState } from './watch/poll-state.js';
