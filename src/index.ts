/** Package entry: the client library and the wire types. */
export * from './protocol.js';
export * from './batch/index.js';
