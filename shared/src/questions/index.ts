export * from './answer-record';
export * from './sealed';
export * from './text';
