export * from './model';
export * from './roles';
export * from './tip-workflow';
