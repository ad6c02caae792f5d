export * from './model';
export * from './roles';
export * from './tip-fields';
export * from './tip-workflow';
