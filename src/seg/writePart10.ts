import {
  dcmjsData,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  type NaturalDataset,
} from './dcmjsData';

/**
 * Encodes a naturalized dataset as a DICOM Part 10 file (preamble, File
 * Meta, data set) in Explicit VR Little Endian, using dcmjs's `DicomDict`.
 * `SOPClassUID` and `SOPInstanceUID` must be set; they become the Media
 * Storage UIDs of the File Meta.
 */
export function writePart10(dataset: NaturalDataset): ArrayBuffer {
  const sopClassUid = dataset.SOPClassUID;
  const sopInstanceUid = dataset.SOPInstanceUID;
  if (typeof sopClassUid !== 'string' || typeof sopInstanceUid !== 'string') {
    throw new TypeError(
      `writePart10 needs string SOPClassUID and SOPInstanceUID, got ${String(sopClassUid)} and ${String(sopInstanceUid)}.`,
    );
  }

  const versionBytes = new Uint8Array([0, 1]);
  const meta = dcmjsData.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: versionBytes.buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  });

  const dicomDict = new dcmjsData.DicomDict(meta);
  dicomDict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(dataset);
  return dicomDict.write();
}
