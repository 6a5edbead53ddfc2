export { parseMedsamConfig } from './MedsamConfig';
export type { MedsamConfig } from './MedsamConfig';
