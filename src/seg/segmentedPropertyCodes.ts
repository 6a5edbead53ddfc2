import type { CodedConcept } from './CodedConcept';

/**
 * Segmented Property Categories (CID 7150) as listed in DICOM PS3.16 and in
 * pydicom 2.3.1's `pydicom.sr` CID tables. Each category has its own list
 * of types in CID 7151: Anatomical Structure uses CID 7192, Morphologically
 * Abnormal Structure CID 7194, Tissue CID 7191, Physical object CID 7193,
 * Body Substance CID 7197 and Spatial and Relational Concept CID 7196.
 */
export const SEGMENTED_PROPERTY_CATEGORIES = {
  anatomicalStructure: { value: '123037004', scheme: 'SCT', meaning: 'Anatomical Structure' },
  morphologicallyAbnormalStructure: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Abnormal Structure' },
  tissue: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
  physicalObject: { value: '260787004', scheme: 'SCT', meaning: 'Physical object' },
  bodySubstance: { value: '91720002', scheme: 'SCT', meaning: 'Body Substance' },
  spatialAndRelationalConcept: { value: '309825002', scheme: 'SCT', meaning: 'Spatial and Relational Concept' },
  function: { value: '246464006', scheme: 'SCT', meaning: 'Function' },
  substance: { value: '105590001', scheme: 'SCT', meaning: 'Substance' },
} as const satisfies Record<string, CodedConcept>;

/** Key of a category in `SEGMENTED_PROPERTY_CATEGORIES`. */
export type SegmentedPropertyCategoryKey = keyof typeof SEGMENTED_PROPERTY_CATEGORIES;

/** A Segmented Property Type (CID 7151) with the categories whose type lists contain it. */
export interface SegmentedPropertyType extends CodedConcept {
  /** Categories this type may be written with; the first is the usual one. */
  categories: readonly CodedConcept[];
  /** Other names a user may search for, lower case. */
  synonyms: readonly string[];
}

type TypeRow = [value: string, meaning: string, categories: SegmentedPropertyCategoryKey[], synonyms?: string[]];

const ANATOMY: SegmentedPropertyCategoryKey[] = ['anatomicalStructure'];
const LESION: SegmentedPropertyCategoryKey[] = ['morphologicallyAbnormalStructure'];
const TISSUE: SegmentedPropertyCategoryKey[] = ['tissue'];
const ANATOMY_OR_TISSUE: SegmentedPropertyCategoryKey[] = ['anatomicalStructure', 'tissue'];

// Every row was checked against pydicom 2.3.1: the meaning is the SCT
// concept's meaning, and the categories are those whose CID (7191, 7192,
// 7194) lists the code. tests/unit/seg/segmentedPropertyCodes.test.ts
// repeats that check.
const TYPE_ROWS: TypeRow[] = [
  // Lesions (CID 7194).
  ['4147007', 'Mass', LESION, ['lesion']],
  ['108369006', 'Neoplasm', LESION, ['tumor', 'tumour']],
  ['86049000', 'Neoplasm, Primary', LESION, ['primary tumor', 'primary tumour']],
  ['14799000', 'Neoplasm, Secondary', LESION, ['metastasis', 'secondary tumor', 'secondary tumour']],
  ['27925004', 'Nodule', LESION],
  ['367643001', 'Cyst', LESION],
  ['44132006', 'Abscess', LESION],
  ['79654002', 'Edema', LESION, ['oedema']],
  ['6574001', 'Necrosis', LESION],
  ['50960005', 'Hemorrhage', LESION, ['haemorrhage', 'bleeding']],
  ['55584005', 'Embolus', LESION],
  ['75753009', 'Blood clot', LESION, ['thrombus']],
  ['23583003', 'Inflammation', LESION],
  // Organs and other anatomy (CID 7192).
  ['10200004', 'Liver', ANATOMY, ['hepatic']],
  ['64033007', 'Kidney', ANATOMY, ['renal']],
  ['39607008', 'Lung', ANATOMY, ['pulmonary']],
  ['78961009', 'Spleen', ANATOMY, ['splenic']],
  ['15776009', 'Pancreas', ANATOMY, ['pancreatic']],
  ['23451007', 'Adrenal gland', ANATOMY, ['suprarenal gland']],
  ['12738006', 'Brain', ANATOMY, ['cerebrum']],
  ['80891009', 'Heart', ANATOMY, ['cardiac']],
  ['28231008', 'Gallbladder', ANATOMY],
  ['69695003', 'Stomach', ANATOMY, ['gastric']],
  ['32849002', 'Esophagus', ANATOMY, ['oesophagus']],
  ['38848004', 'Duodenum', ANATOMY],
  ['30315005', 'Small intestine', ANATOMY, ['bowel']],
  ['71854001', 'Colon', ANATOMY, ['large intestine', 'bowel']],
  ['34402009', 'Rectum', ANATOMY],
  ['89837001', 'Bladder', ANATOMY, ['urinary bladder']],
  ['41216001', 'Prostate', ANATOMY],
  ['35039007', 'Uterus', ANATOMY],
  ['15497006', 'Ovary', ANATOMY],
  ['76752008', 'Breast', ANATOMY],
  ['69748006', 'Thyroid', ANATOMY, ['thyroid gland']],
  ['45289007', 'Parotid gland', ANATOMY],
  ['44567001', 'Trachea', ANATOMY],
  ['955009', 'Bronchus', ANATOMY],
  ['5798000', 'Diaphragm', ANATOMY],
  ['15825003', 'Aorta', ANATOMY],
  ['64131007', 'Inferior Vena Cava', ANATOMY, ['ivc']],
  ['32764006', 'Portal Vein', ANATOMY],
  ['2748008', 'Spinal cord', ANATOMY],
  ['81745001', 'Eye', ANATOMY],
  ['51282000', 'Vertebra', ANATOMY, ['spine']],
  ['89546000', 'Skull', ANATOMY],
  ['113197003', 'Rib', ANATOMY],
  ['12921003', 'Pelvis', ANATOMY],
  ['71341001', 'Femur', ANATOMY],
  // In both the anatomy (CID 7192) and the tissue (CID 7191) lists.
  ['59441001', 'Lymph node', ANATOMY_OR_TISSUE, ['lymph gland']],
  ['51114001', 'Artery', ANATOMY_OR_TISSUE],
  ['29092000', 'Vein', ANATOMY_OR_TISSUE],
  ['59820001', 'Blood vessel', ANATOMY_OR_TISSUE, ['vessel']],
  // Tissues (CID 7191).
  ['272673000', 'Bone', TISSUE, ['skeleton', 'osseous']],
  ['71616004', 'Muscle', TISSUE],
  ['248300009', 'Body fat', TISSUE, ['fat', 'adipose tissue']],
  ['39937001', 'Skin', TISSUE],
  ['309312004', 'Cartilage', TISSUE],
];

/** The curated Segmented Property Types for the panel's list, lesions first. */
export const SEGMENTED_PROPERTY_TYPES: readonly SegmentedPropertyType[] = TYPE_ROWS.map(
  ([value, meaning, categories, synonyms = []]) => ({
    value,
    scheme: 'SCT',
    meaning,
    categories: categories.map((key) => SEGMENTED_PROPERTY_CATEGORIES[key]),
    synonyms,
  }),
);

/**
 * Returns the curated types whose meaning, code value or a synonym
 * contains `query`, ignoring case and surrounding spaces. Types whose
 * meaning starts with the query come first; an empty query returns all.
 */
export function searchSegmentedPropertyTypes(query: string): SegmentedPropertyType[] {
  const needle = query.trim().toLowerCase();
  if (needle.length === 0) {
    return [...SEGMENTED_PROPERTY_TYPES];
  }
  const matches = SEGMENTED_PROPERTY_TYPES.filter(
    (type) =>
      type.meaning.toLowerCase().includes(needle) ||
      type.value === needle ||
      type.synonyms.some((synonym) => synonym.includes(needle)),
  );
  const startsWithNeedle = (type: SegmentedPropertyType) => (type.meaning.toLowerCase().startsWith(needle) ? 0 : 1);
  return matches.sort((a, b) => startsWithNeedle(a) - startsWithNeedle(b));
}

/** Returns the curated entry of a type code, or undefined for a code outside the list. */
export function findSegmentedPropertyType(type: CodedConcept): SegmentedPropertyType | undefined {
  return SEGMENTED_PROPERTY_TYPES.find((entry) => entry.scheme === type.scheme && entry.value === type.value);
}

/**
 * Returns true when `category` is one of the categories of `type`. A type
 * outside the curated list cannot be judged and passes.
 */
export function isTypeInCategory(type: CodedConcept, category: CodedConcept): boolean {
  const entry = findSegmentedPropertyType(type);
  if (!entry) {
    return true;
  }
  return entry.categories.some((allowed) => allowed.scheme === category.scheme && allowed.value === category.value);
}
