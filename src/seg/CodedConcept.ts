/**
 * A coded concept as DICOM's Code Sequence Macro stores it (PS3.3 Table
 * 8.8-1): a code value, the coding scheme that defines it, and a meaning for
 * display. Two concepts are equal when scheme and value are equal.
 */
export interface CodedConcept {
  /** CodeValue (SH, at most 16 characters). */
  value: string;
  /** CodingSchemeDesignator, e.g. `SCT` for SNOMED CT or `DCM` for DICOM. */
  scheme: string;
  /** CodeMeaning (LO, at most 64 characters). */
  meaning: string;
}

/**
 * Codes the SEG writer uses. Values and meanings are from DICOM PS3.16 as
 * listed in pydicom 2.3.1's `pydicom.sr` concept dictionaries.
 */
export const SEG_CODES = {
  /** CID 7150 Segmentation Property Categories. */
  morphologicallyAbnormalStructure: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Abnormal Structure' },
  /** CID 7159 Lesion Segmentation Types (also CID 7151). */
  mass: { value: '4147007', scheme: 'SCT', meaning: 'Mass' },
  /** CID 7196 Spatial and Relational Concept Types: the label map's segment 0. */
  background: { value: '125040', scheme: 'DCM', meaning: 'Background' },
  /** CID 7150, the category of `background`. */
  spatialAndRelationalConcept: { value: '309825002', scheme: 'SCT', meaning: 'Spatial and Relational Concept' },
  /** CID 7162 Surface Processing Algorithm Families, the family for a learned model. */
  artificialIntelligence: { value: '123110', scheme: 'DCM', meaning: 'Artificial Intelligence' },
  /** CID 7203 Image Derivation: how each SEG frame was derived. */
  segmentation: { value: '113076', scheme: 'DCM', meaning: 'Segmentation' },
  /** CID 7202 Source Image Purposes of Reference. */
  sourceImageForImageProcessingOperation: {
    value: '121322',
    scheme: 'DCM',
    meaning: 'Source image for image processing operation',
  },
} as const satisfies Record<string, CodedConcept>;

/** Converts a concept to the one item of a naturalized Code Sequence. */
export function toCodeSequence(concept: CodedConcept): Record<string, string>[] {
  return [
    {
      CodeValue: concept.value,
      CodingSchemeDesignator: concept.scheme,
      CodeMeaning: concept.meaning,
    },
  ];
}
