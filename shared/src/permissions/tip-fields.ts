import { can } from './model';
import type { Actor } from './roles';

/**
 * Which sensitive fields of a tip in reach the actor is sent, from the field-level
 * permissions of the model. The API builds every tip answer through it (a field the actor
 * may not read is left out, not blanked in the UI); the UI only renders what arrived.
 */
export interface TipFieldAccess {
  /** The sealed "same reporter" pseudonym. */
  reporterPseudonym: boolean;
  /** Notes by moderators and admins; without it only the notes of the actor's own unit. */
  internalNotes: boolean;
  /** Staff display names and user ids; without it only their role. */
  staffNames: boolean;
  /** The resident's pin; without it the grid cell around it (coarseArea). */
  exactLocation: boolean;
}

export function tipFieldAccess(actor: Actor): TipFieldAccess {
  return {
    reporterPseudonym: can(actor, 'tips.read_reporter_pseudonym'),
    internalNotes: can(actor, 'tips.read_internal_notes'),
    staffNames: can(actor, 'tips.read_staff_names'),
    exactLocation: can(actor, 'tips.read_exact_location'),
  };
}

/**
 * The grid officers see instead of the pin: 0.01° (about 1.1 km north–south, 1.0–1.1 km
 * east–west in Vietnam). Enough to know which part of a merged commune to look at; too coarse
 * to point at the house a resident shared their position from.
 */
export const AREA_CELL_DEGREES = 0.01;

/** A grid cell, given by its centre. */
export interface LocationArea {
  latitude: number;
  longitude: number;
  cellDegrees: number;
}

// Work in whole cells so 16.6 (1659.999… hundredths in binary) lands in cell 1660, not 1659.
const cellOf = (degrees: number) => Math.floor(degrees / AREA_CELL_DEGREES + 1e-9);
const centreOf = (cell: number) => Number(((cell + 0.5) * AREA_CELL_DEGREES).toFixed(3));

/** The centre of the 0.01° cell that holds the point: every pin in the cell gives the same answer. */
export function coarseArea(point: { latitude: number; longitude: number }): LocationArea {
  return {
    latitude: centreOf(cellOf(point.latitude)),
    longitude: centreOf(cellOf(point.longitude)),
    cellDegrees: AREA_CELL_DEGREES,
  };
}
