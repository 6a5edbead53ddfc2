import { dcmjsData, type NaturalDataset } from './dcmjsData';

/** A Part 10 file decoded by dcmjs: the naturalized File Meta and data set. */
export interface Part10Contents {
  meta: NaturalDataset;
  dataset: NaturalDataset;
}

/**
 * Decodes a DICOM Part 10 file into naturalized datasets with dcmjs.
 * Throws dcmjs's own error when the preamble or "DICM" prefix is missing.
 */
export function readPart10(file: ArrayBuffer): Part10Contents {
  const dicomDict = dcmjsData.DicomMessage.readFile(file);
  return {
    meta: dcmjsData.DicomMetaDictionary.naturalizeDataset(dicomDict.meta),
    dataset: dcmjsData.DicomMetaDictionary.naturalizeDataset(dicomDict.dict),
  };
}
