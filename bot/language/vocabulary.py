"""The words carers use, curated: conditions, medicines, equipment, services, people, places.

Plain data, no logic. Each phrase list holds the carer's own spellings (plurals come free from
the lemmatiser; missing apostrophes and common misspellings are listed). Keys are stable: the
same thing said twice, in other words, maps to the same key.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One thing the record can hold, with the phrases that name it."""

    category: str            # condition | medicine | need | service | communication
    key: str                 # e.g. "condition:dementia"
    display: str             # carer-facing text, e.g. "Parkinson's"
    phrases: tuple[str, ...]
    adjective: tuple[str, ...] = ()   # forms used after "is": "diabetic", "autistic"
    detail: tuple[tuple[str, str], ...] = ()
    plural_only: tuple[str, ...] = field(default=())  # surface forms accepted only as written


def _t(category: str, key: str, display: str, phrases: str, adjective: str = "",
       detail: dict | None = None) -> Term:
    return Term(category, f"{category}:{key}", display,
                tuple(p.strip() for p in phrases.split("|") if p.strip()),
                tuple(a.strip() for a in adjective.split("|") if a.strip()),
                tuple(sorted((detail or {}).items())))


# --- Conditions and diagnoses -------------------------------------------------------------
CONDITIONS: list[Term] = [
    _t("condition", "dementia", "dementia", "dementia|demenshia|dementure|mixed dementia"),
    _t("condition", "alzheimer's", "Alzheimer's", "alzheimer's|alzheimers|alzheimer|alzheimer's disease|"
       "alzheimers disease|altzheimers|alzhiemers|alzeimers|alzheimer s|alzheimer's dementia"),
    _t("condition", "vascular dementia", "vascular dementia", "vascular dementia"),
    _t("condition", "lewy body dementia", "Lewy body dementia",
       "lewy body dementia|lewy body|lewy bodies|dementia with lewy bodies"),
    _t("condition", "frontotemporal dementia", "frontotemporal dementia",
       "frontotemporal dementia|fronto temporal dementia|ftd|frontal lobe dementia|pick's disease"),
    _t("condition", "memory problems", "memory problems",
       "memory problems|memory loss|memory issues|problems with her memory|problems with his memory"),
    _t("condition", "parkinson's", "Parkinson's", "parkinson's|parkinsons|parkinson|parkinson's disease|"
       "parkinsons disease|parkinson disease|parkinsonism|parkingsons|parkinsins"),
    _t("condition", "stroke", "stroke", "stroke|cva|cerebrovascular accident|brain bleed|bleed on the brain"),
    _t("condition", "tia", "mini stroke (TIA)", "tia|mini stroke|transient ischaemic attack"),
    _t("condition", "heart failure", "heart failure", "heart failure|cardiac failure|congestive heart failure|"
       "ccf|chf"),
    _t("condition", "heart disease", "heart disease", "heart disease|heart condition|heart problems|"
       "heart problem|heart trouble|bad heart|coronary heart disease|heart issues"),
    _t("condition", "heart attack", "heart attack", "heart attack|cardiac arrest"),
    _t("condition", "angina", "angina", "angina"),
    _t("condition", "atrial fibrillation", "atrial fibrillation (AF)",
       "atrial fibrillation|af|a fib|afib|irregular heartbeat|irregular heart beat"),
    _t("condition", "high blood pressure", "high blood pressure",
       "high blood pressure|hypertension|high bp|blood pressure problems"),
    _t("condition", "high cholesterol", "high cholesterol", "high cholesterol"),
    _t("condition", "copd", "COPD", "copd|c o p d|chronic obstructive pulmonary disease|"
       "chronic bronchitis|chronic obstructive airways disease"),
    _t("condition", "emphysema", "emphysema", "emphysema"),
    _t("condition", "asthma", "asthma", "asthma", adjective="asthmatic"),
    _t("condition", "lung disease", "lung disease", "lung disease|pulmonary fibrosis|ipf|lung condition"),
    _t("condition", "bronchiectasis", "bronchiectasis", "bronchiectasis"),
    _t("condition", "diabetes", "diabetes", "diabetes|diabeties|diabetis|diabites|sugar diabetes",
       adjective="diabetic"),
    _t("condition", "diabetes", "type 2 diabetes", "type 2 diabetes|diabetes type 2|type two diabetes|"
       "t2 diabetes|type 2 diabetic|type ii diabetes|diabetes type two|diabetes type ii|type 2 diabeties",
       detail={"type": "2"}),
    _t("condition", "diabetes", "type 1 diabetes", "type 1 diabetes|diabetes type 1|type one diabetes|"
       "t1 diabetes|type 1 diabetic|type i diabetes|diabetes type one|type 1 diabeties", detail={"type": "1"}),
    _t("condition", "ms", "MS", "ms|multiple sclerosis|m s"),
    _t("condition", "mnd", "MND", "mnd|motor neurone disease|motor neuron disease|als"),
    _t("condition", "huntington's", "Huntington's", "huntington's|huntingtons|huntington's disease"),
    _t("condition", "cancer", "cancer", "cancer|terminal cancer|secondary cancer|secondaries|tumour|tumor"),
    *[_t("condition", f"{k} cancer", f"{k} cancer", f"{k} cancer|cancer of the {k}")
      for k in ("breast", "bowel", "lung", "prostate", "skin", "pancreatic", "ovarian", "bladder",
                "kidney", "liver", "stomach", "oesophageal", "throat", "mouth", "cervical", "womb",
                "bone", "blood", "brain")],
    _t("condition", "brain tumour", "brain tumour", "brain tumour|brain tumor"),
    _t("condition", "leukaemia", "leukaemia", "leukaemia|leukemia"),
    _t("condition", "lymphoma", "lymphoma", "lymphoma|hodgkin's lymphoma|non hodgkin lymphoma"),
    _t("condition", "myeloma", "myeloma", "myeloma|multiple myeloma"),
    _t("condition", "arthritis", "arthritis", "arthritis|athritis|arthritus", adjective="arthritic"),
    _t("condition", "rheumatoid arthritis", "rheumatoid arthritis", "rheumatoid arthritis|ra"),
    _t("condition", "osteoarthritis", "osteoarthritis", "osteoarthritis|osteo arthritis"),
    _t("condition", "osteoporosis", "osteoporosis", "osteoporosis|brittle bones"),
    _t("condition", "epilepsy", "epilepsy", "epilepsy|epilepsey", adjective="epileptic"),
    _t("condition", "seizures", "seizures", "seizures|seizure|fits|absence seizures|absences"),
    _t("condition", "autism", "autism", "autism|asd|autistic spectrum disorder|autism spectrum disorder|"
       "autism spectrum condition|asc|asperger's|aspergers|asperger's syndrome", adjective="autistic"),
    _t("condition", "adhd", "ADHD", "adhd|attention deficit hyperactivity disorder"),
    _t("condition", "cerebral palsy", "cerebral palsy", "cerebral palsy|cp"),
    _t("condition", "down's syndrome", "Down's syndrome", "down's syndrome|downs syndrome|down syndrome|"
       "down's|downs|trisomy 21"),
    _t("condition", "learning disability", "learning disability",
       "learning disability|learning disabilities|learning difficulties|learning difficulty|ld|"
       "severe learning disability|profound and multiple learning disabilities|pmld"),
    _t("condition", "developmental delay", "developmental delay",
       "developmental delay|global developmental delay|gdd|global delay"),
    _t("condition", "dyspraxia", "dyspraxia", "dyspraxia", adjective="dyspraxic"),
    _t("condition", "schizophrenia", "schizophrenia", "schizophrenia|schizoaffective disorder|"
       "paranoid schizophrenia", adjective="schizophrenic"),
    _t("condition", "depression", "depression", "depression|clinical depression", adjective="depressed"),
    _t("condition", "postnatal depression", "postnatal depression", "postnatal depression|pnd|"
       "post natal depression"),
    _t("condition", "anxiety", "anxiety", "anxiety|anxiety disorder|panic attacks|generalised anxiety"),
    _t("condition", "bipolar", "bipolar disorder", "bipolar|bipolar disorder|manic depression",
       adjective="bipolar"),
    _t("condition", "psychosis", "psychosis", "psychosis|psychotic episodes", adjective="psychotic"),
    _t("condition", "personality disorder", "personality disorder", "personality disorder|bpd|eupd|"
       "borderline personality disorder"),
    _t("condition", "ocd", "OCD", "ocd|obsessive compulsive disorder"),
    _t("condition", "ptsd", "PTSD", "ptsd|post traumatic stress disorder"),
    _t("condition", "eating disorder", "eating disorder", "eating disorder|anorexia|bulimia",
       adjective="anorexic"),
    _t("condition", "mental health problems", "mental health problems",
       "mental health problems|mental health issues|mental illness|mental health condition"),
    _t("condition", "kidney disease", "kidney disease", "kidney disease|ckd|chronic kidney disease|"
       "kidney failure|renal failure|kidney problems|renal disease|kidney damage"),
    _t("condition", "liver disease", "liver disease", "liver disease|cirrhosis|liver failure"),
    _t("condition", "incontinence", "incontinence", "incontinence|double incontinence|"
       "bladder problems|bowel problems", adjective="incontinent|doubly incontinent"),
    _t("condition", "sight loss", "sight loss", "sight loss|loss of sight|poor eyesight|sight problems|"
       "failing eyesight"),
    _t("condition", "macular degeneration", "macular degeneration", "macular degeneration|amd|"
       "wet macular|dry macular"),
    _t("condition", "glaucoma", "glaucoma", "glaucoma"),
    _t("condition", "cataracts", "cataracts", "cataracts|cataract"),
    _t("condition", "hearing loss", "hearing loss", "hearing loss|loss of hearing|hearing problems"),
    _t("condition", "frailty", "frailty", "frailty", adjective="frail|very frail"),
    _t("condition", "sepsis", "sepsis", "sepsis|septicaemia"),
    _t("condition", "pneumonia", "pneumonia", "pneumonia|aspiration pneumonia"),
    _t("condition", "chest infection", "chest infection", "chest infection"),
    _t("condition", "uti", "urine infection (UTI)", "uti|urine infection|water infection|"
       "urinary tract infection|bladder infection|utis"),
    _t("condition", "covid", "COVID", "covid|covid 19|coronavirus|long covid"),
    _t("condition", "hip fracture", "hip fracture", "hip fracture|fractured hip|broken hip|"
       "broke her hip|broke his hip|broken her hip|broken his hip|fractured her hip|fractured his hip|"
       "fractured neck of femur|broken femur"),
    *[_t("condition", f"broken {k}", f"broken {k}", f"broken {k}|fractured {k}|broke her {k}|"
         f"broke his {k}|broken her {k}|broken his {k}|fractured her {k}|fractured his {k}|{k} fracture")
      for k in ("wrist", "arm", "leg", "ankle", "shoulder", "pelvis", "collarbone", "ribs", "back")],
    _t("condition", "pressure sores", "pressure sores", "pressure sores|pressure sore|bed sores|"
       "pressure ulcers|pressure ulcer"),
    _t("condition", "leg ulcers", "leg ulcers", "leg ulcers|leg ulcer|venous ulcer"),
    _t("condition", "lymphoedema", "lymphoedema", "lymphoedema|lymphedema"),
    _t("condition", "cellulitis", "cellulitis", "cellulitis"),
    _t("condition", "underactive thyroid", "underactive thyroid", "underactive thyroid|hypothyroidism|"
       "under active thyroid|thyroid problems|thyroid"),
    _t("condition", "overactive thyroid", "overactive thyroid", "overactive thyroid|hyperthyroidism|"
       "over active thyroid"),
    _t("condition", "anaemia", "anaemia", "anaemia|anemia|pernicious anaemia", adjective="anaemic"),
    _t("condition", "brain injury", "brain injury", "brain injury|acquired brain injury|abi|"
       "head injury|traumatic brain injury"),
    _t("condition", "spina bifida", "spina bifida", "spina bifida"),
    _t("condition", "muscular dystrophy", "muscular dystrophy", "muscular dystrophy|duchenne"),
    _t("condition", "cystic fibrosis", "cystic fibrosis", "cystic fibrosis"),
    _t("condition", "sickle cell", "sickle cell disease", "sickle cell|sickle cell disease|"
       "sickle cell anaemia"),
    _t("condition", "chronic fatigue syndrome", "chronic fatigue syndrome (ME)",
       "chronic fatigue syndrome|chronic fatigue|cfs|myalgic encephalomyelitis"),
    _t("condition", "fibromyalgia", "fibromyalgia", "fibromyalgia"),
    _t("condition", "delirium", "delirium", "delirium"),
    _t("condition", "swallowing problems", "swallowing problems (dysphagia)",
       "dysphagia|swallowing problems|difficulty swallowing|swallowing difficulties"),
    _t("condition", "alcohol dependency", "alcohol dependency", "alcohol dependency|alcoholism|"
       "alcohol problem|drink problem|drinking problem", adjective="alcoholic"),
    _t("condition", "terminal illness", "terminal illness", "terminal illness",
       adjective="terminally ill|terminal|end of life"),
    _t("condition", "eczema", "eczema", "eczema"),
    _t("condition", "tinnitus", "tinnitus", "tinnitus"),
    _t("condition", "vertigo", "vertigo", "vertigo"),
    _t("condition", "migraines", "migraines", "migraines|migraine"),
    _t("condition", "crohn's", "Crohn's disease", "crohn's|crohns|crohn's disease|crohns disease"),
    _t("condition", "colitis", "ulcerative colitis", "colitis|ulcerative colitis"),
    _t("condition", "ibs", "IBS", "ibs|irritable bowel syndrome"),
    _t("condition", "gout", "gout", "gout"),
    _t("condition", "neuropathy", "neuropathy", "neuropathy|peripheral neuropathy"),
    _t("condition", "polymyalgia", "polymyalgia", "polymyalgia|polymyalgia rheumatica|pmr"),
    _t("condition", "dvt", "DVT (blood clot)", "dvt|deep vein thrombosis|blood clots|blood clot"),
    _t("condition", "hiv", "HIV", "hiv"),
    _t("condition", "tourette's", "Tourette's", "tourette's|tourettes|tourette syndrome"),
    _t("condition", "fragile x", "fragile X syndrome", "fragile x|fragile x syndrome"),
    _t("condition", "hydrocephalus", "hydrocephalus", "hydrocephalus"),
    _t("condition", "scoliosis", "scoliosis", "scoliosis"),
    _t("condition", "reflux", "reflux", "reflux|acid reflux|silent reflux"),
    _t("condition", "tongue tie", "tongue tie", "tongue tie"),
    _t("condition", "jaundice", "jaundice", "jaundice"),
    _t("condition", "dyslexia", "dyslexia", "dyslexia", adjective="dyslexic"),
    _t("condition", "aphasia", "aphasia", "aphasia|dysphasia"),
    _t("condition", "hearing loss", "hearing loss", "hearing impairment|hearing impaired"),
    _t("condition", "lupus", "lupus", "lupus"),
    _t("condition", "sleep apnoea", "sleep apnoea", "sleep apnoea|sleep apnea"),
    _t("condition", "pulmonary hypertension", "pulmonary hypertension", "pulmonary hypertension"),
    _t("condition", "shingles", "shingles", "shingles"),
    _t("condition", "diverticulitis", "diverticulitis", "diverticulitis|diverticular disease"),
    _t("condition", "spinal injury", "spinal injury", "spinal injury|spinal cord injury|paraplegia|"
       "quadriplegia|tetraplegia", adjective="paraplegic|quadriplegic|paralysed"),
    _t("condition", "amputation", "amputation", "amputation|amputee|leg amputation"),
    _t("condition", "allergy", "allergies", "allergies"),
]

# --- Medicines --------------------------------------------------------------------------------
# generic name -> extra phrases (brands, misspellings). The key is always the generic.
_MEDICINES = """
donepezil: aricept|donepzil|donepazil|donezepil|donapezil|donepezel
memantine: ebixa|mementine|memantin
rivastigmine: exelon|exelon patch|rivastigmine patch
galantamine: reminyl
warfarin: warferin|warafin|warfrin
apixaban: eliquis|apixiban|apixabon
rivaroxaban: xarelto
edoxaban: lixiana
dabigatran: pradaxa
clopidogrel: plavix
aspirin: low dose aspirin|baby aspirin
ticagrelor: brilique
metformin: glucophage|metfornim
gliclazide: gliclazide mr
sitagliptin: januvia
empagliflozin: jardiance
dapagliflozin: forxiga
canagliflozin: invokana
insulin: novorapid|lantus|levemir|humalog|humulin|toujeo|tresiba|abasaglar|insulin injections|insulin pen
liraglutide: victoza
semaglutide: ozempic|wegovy
levodopa: l dopa
co-careldopa: sinemet|co careldopa|cocareldopa|carbidopa
co-beneldopa: madopar|co beneldopa
ropinirole: requip
pramipexole: mirapexin
rasagiline: azilect
entacapone: comtess|stalevo
rotigotine: neupro|neupro patch
amantadine:
ramipril: ramapril
lisinopril:
perindopril:
enalapril:
candesartan:
losartan:
irbesartan:
valsartan:
sacubitril valsartan: entresto
amlodipine: amlodapine|amlodipene
felodipine:
nifedipine:
diltiazem:
verapamil:
bisoprolol: bisoprolo|bisoprolal
atenolol:
propranolol: propanolol
metoprolol:
carvedilol:
nebivolol:
doxazosin:
indapamide:
bendroflumethiazide: bendroflumethazide
furosemide: frusemide|furosamide|furosimide
bumetanide:
spironolactone:
eplerenone:
digoxin:
amiodarone:
isosorbide mononitrate: isosorbide|ism
gtn spray: gtn|glyceryl trinitrate
ivabradine:
ranolazine:
atorvastatin: lipitor|atorvastatine
simvastatin:
rosuvastatin: crestor
pravastatin:
ezetimibe:
omeprazole: omeprazol
lansoprazole: lanzoprazole
esomeprazole: nexium
pantoprazole:
famotidine:
ranitidine:
gaviscon:
paracetamol: calpol|panadol
co-codamol: co codamol|cocodamol|solpadol|zapain|tylex
codeine: codeine phosphate
dihydrocodeine: df118
co-dydramol: co dydramol
tramadol:
morphine: morphine sulphate|mst|zomorph
oramorph: oramorphe
oxycodone: oxynorm|oxycontin|longtec|shortec
fentanyl: fentanyl patch|fentanyl patches
buprenorphine: butrans|butec|buprenorphine patch
ibuprofen: nurofen|brufen
naproxen:
diclofenac: voltarol
celecoxib:
gabapentin:
pregabalin: lyrica
amitriptyline: amitryptyline|amitriptaline
nortriptyline:
duloxetine:
sertraline: setraline
citalopram:
escitalopram:
fluoxetine: prozac
paroxetine:
venlafaxine:
mirtazapine: mirtazepine|mirtazipine
trazodone:
quetiapine: seroquel|quetiepine
risperidone: risperdal
olanzapine:
aripiprazole: abilify
haloperidol:
clozapine: clozaril
lithium:
lorazepam:
diazepam: valium
zopiclone:
zolpidem:
temazepam:
promethazine: phenergan
melatonin: circadin
levothyroxine: thyroxine|levothyroxin|eltroxin
carbimazole:
salbutamol: ventolin|blue inhaler|salamol
beclometasone: clenil|qvar|brown inhaler
seretide:
symbicort:
fostair:
tiotropium: spiriva
trelegy:
budesonide:
fluticasone:
montelukast:
prednisolone: pred
steroids:
hydrocortisone:
dexamethasone:
amoxicillin: amoxycillin|amoxil
co-amoxiclav: co amoxiclav|augmentin
flucloxacillin:
clarithromycin:
doxycycline:
nitrofurantoin:
trimethoprim:
cefalexin:
metronidazole:
ciprofloxacin:
penicillin:
antibiotics:
sodium valproate: valproate|epilim|depakote|epilim chrono
lamotrigine: lamictal
levetiracetam: keppra|levetiracetum
carbamazepine: tegretol
phenytoin:
topiramate:
clobazam:
buccal midazolam: midazolam|buccolam|epistatus
methylphenidate: ritalin|concerta|medikinet|equasym|xaggitin
lisdexamfetamine: elvanse
atomoxetine: strattera
guanfacine: intuniv
laxido: laxido sachets
macrogol: movicol|cosmocol
senna: senokot
lactulose:
docusate:
bisacodyl:
loperamide: imodium
fybogel:
adcal: adcal d3|adcal-d3|accrete|accrete d3|calcichew|calcichew d3
vitamin d: colecalciferol|vitamin d3|fultium|invita d3
alendronic acid: alendronate
risedronate:
denosumab: prolia
zoledronic acid:
folic acid:
ferrous sulfate: ferrous sulphate|iron tablets
ferrous fumarate:
vitamin b12: b12 injections|b12|hydroxocobalamin
thiamine:
tamsulosin:
finasteride:
oxybutynin:
solifenacin:
mirabegron:
tolterodine:
allopurinol:
colchicine:
methotrexate:
hydroxychloroquine:
sulfasalazine:
adalimumab: humira
tamoxifen:
letrozole:
anastrozole:
chemotherapy: chemo
baclofen:
tizanidine:
riluzole:
hyoscine: hyoscine patch|scopoderm
ondansetron:
metoclopramide:
domperidone:
cyclizine:
betahistine:
prochlorperazine: buccastem|stemetil
cetirizine:
loratadine:
fexofenadine:
chlorphenamine: piriton
sumatriptan:
latanoprost:
timolol:
enoxaparin: clexane
dalteparin: fragmin
heparin:
tinzaparin:
adrenaline pen: epipen|jext|adrenaline autoinjector
glucagon:
fortisip: fortisips|fresubin|ensure plus|complan
calogen:
thickener: thickening powder|thick and easy|nutilis|resource thickenup
dioralyte:
infacol:
vitamin drops: abidec|dalivit|healthy start vitamins
blood thinners: blood thinner|anticoagulant|anticoagulants
water tablets: water tablet|diuretics
sleeping tablets: sleeping pills
painkillers: pain killers|pain relief
antidepressants: anti depressants
inhaler: inhalers
eye drops:
nicotine patches:
hrt:
spray:
"""


def _medicines() -> list[Term]:
    terms: list[Term] = []
    for line in _MEDICINES.strip().splitlines():
        generic, _, rest = line.partition(":")
        generic = generic.strip()
        if generic == "spray":
            continue
        phrases = [generic] + [p for p in rest.split("|") if p.strip()]
        terms.append(_t("medicine", generic, generic, "|".join(phrases)))
    return terms


MEDICINES: list[Term] = _medicines()

# --- Needs and equipment ----------------------------------------------------------------------
NEEDS: list[Term] = [
    _t("need", "commode", "commode", "commode|commodes|comode"),
    _t("need", "hoist", "hoist", "hoist|mobile hoist|ceiling hoist|stand aid|sara stedy|stedy|"
       "standing hoist|ceiling track hoist"),
    _t("need", "wheelchair", "wheelchair", "wheelchair|wheel chair|electric wheelchair|powerchair|"
       "power chair|transit chair|wheelchiar|weelchair"),
    _t("need", "walking frame", "walking frame", "walking frame|zimmer frame|zimmer|walker|rollator|"
       "wheeled walker|three wheeled walker|tri walker|frame"),
    _t("need", "walking stick", "walking stick", "walking stick|walking sticks|crutches|crutch|"
       "quad stick|tripod stick"),
    _t("need", "grab rails", "grab rails", "grab rail|grab rails|grabrail|grabrails|hand rail|handrail|"
       "hand rails|handrails|banister rail|stair rail"),
    _t("need", "stairlift", "stairlift", "stairlift|stair lift|stair lifts|stairlifts"),
    _t("need", "hospital bed", "hospital bed", "hospital bed|profiling bed|electric bed|adjustable bed"),
    _t("need", "pressure mattress", "pressure mattress", "pressure mattress|air mattress|"
       "pressure relieving mattress|alternating mattress|special mattress|airflow mattress"),
    _t("need", "pressure cushion", "pressure cushion", "pressure cushion|pressure relieving cushion"),
    _t("need", "incontinence pads", "incontinence pads", "incontinence pads|pads|tena pads|tena|"
       "continence pads|pull ups|incontinence pants|inco pads|nappies"),
    _t("need", "catheter", "catheter", "catheter|cathether|catheter bag|suprapubic catheter"),
    _t("need", "stoma", "stoma", "stoma|stoma bag|colostomy|colostomy bag|ileostomy|urostomy"),
    _t("need", "oxygen", "home oxygen", "oxygen|home oxygen|oxygen concentrator|oxygen tank|"
       "oxygen cylinders|oxygen machine"),
    _t("need", "peg feeding", "PEG feeding", "peg|peg tube|peg feed|peg feeding|feeding tube|ng tube|"
       "nasogastric tube|tube feeding|tube feed|button feed|gastrostomy"),
    _t("need", "nebuliser", "nebuliser", "nebuliser|nebulizer"),
    _t("need", "shower chair", "shower chair", "shower chair|shower stool|shower seat"),
    _t("need", "bath lift", "bath lift", "bath lift|bath board|bath seat|bath hoist"),
    _t("need", "raised toilet seat", "raised toilet seat", "raised toilet seat|toilet frame|"
       "toilet seat raiser|toilet surround"),
    _t("need", "perching stool", "perching stool", "perching stool"),
    _t("need", "riser recliner chair", "riser recliner chair", "riser recliner|riser recliner chair|"
       "rise and recline chair|riser chair"),
    _t("need", "mobility scooter", "mobility scooter", "mobility scooter|scooter"),
    _t("need", "ramp", "ramp", "ramp|wheelchair ramp|ramps"),
    _t("need", "bed rails", "bed rails", "bed rails|bed rail|cot sides|bed sides|bed lever"),
    _t("need", "slide sheet", "slide sheet", "slide sheet|slide sheets|turning aid|return turner|turner"),
    _t("need", "personal alarm", "personal alarm (pendant)", "pendant alarm|careline|lifeline|"
       "personal alarm|emergency alarm|care alarm|panic button|alarm pendant|falls pendant"),
    _t("need", "dosette box", "dosette box", "dosette box|dosette|pill organiser|blister pack|"
       "blister packs|nomad tray|medication dispenser|pill dispenser|pivotell"),
    _t("need", "sensor", "falls sensor", "falls sensor|bed sensor|door sensor|sensor mat|pressure mat|"
       "motion sensor|epilepsy sensor|bed alarm"),
    _t("need", "cpap", "CPAP machine", "cpap|cpap machine"),
    _t("need", "suction machine", "suction machine", "suction machine|suction"),
    _t("need", "specialist buggy", "specialist buggy", "specialist buggy|special needs buggy|"
       "adapted buggy|major buggy"),
    _t("need", "standing frame", "standing frame", "standing frame|stander"),
    _t("need", "wet room", "wet room / level access shower", "wet room|walk in shower|"
       "level access shower"),
    _t("need", "blue badge", "Blue Badge", "blue badge"),
    _t("need", "thickened fluids", "thickened fluids", "thickened fluids|thickened drinks|"
       "thickened liquids"),
    _t("need", "dialysis", "dialysis", "dialysis|haemodialysis|peritoneal dialysis"),
    _t("need", "feeding pump", "feeding pump", "feeding pump"),
    _t("need", "hearing loop", "hearing loop", "hearing loop"),
]
NEED_WORDS_NEEDING_CARE = {"frame", "pads", "scooter", "suction", "turner", "peg", "lifeline", "tena",
                           "zimmer", "nappies", "walker", "ramp", "ramps", "oxygen", "stander"}

# What "needs help with ..." can be about: canonical -> phrases.
HELP_ACTIVITIES: dict[str, str] = {
    "washing": "washing|wash|washed|getting washed|having a wash|a wash|bathing|bath|baths|showering|"
               "shower|showers|having a shower|personal care|personal hygiene|hygiene",
    "dressing": "dressing|getting dressed|get dressed|dress|dressed",
    "eating": "eating|eat|meals|food|feeding|feed|her meals|his meals|feeding herself|feeding himself",
    "cooking": "cooking|cook|making meals|preparing meals|meal preparation|making food",
    "toileting": "toileting|toilet|the toilet|going to the toilet|using the toilet|continence",
    "medication": "medication|medicines|medicine|meds|tablets|pills|her tablets|his tablets|"
                  "taking her tablets|taking his tablets|taking tablets",
    "stairs": "stairs|the stairs|getting upstairs|going upstairs|climbing stairs",
    "walking": "walking|walk|getting about|getting around|moving around|mobility|mobilising",
    "getting up": "getting up|get up|getting out of bed|get out of bed|getting in and out of bed|"
                  "transfers|getting out of a chair|standing up|stand up",
    "shopping": "shopping|the shopping",
    "housework": "housework|cleaning|the cleaning|laundry|washing up",
    "money": "money|finances|bills|paying bills|managing money",
    "going out": "going out|getting out|getting out and about",
}

# --- Services and professionals ---------------------------------------------------------------
SERVICES: list[Term] = [
    _t("service", "district nurse", "district nurse", "district nurse|district nurses|dn|dns|"
       "community nurse|community nurses|district nursing|district nursing team"),
    _t("service", "home carers", "home carers", "carers|care workers|care worker|homecare|home care|"
       "home carers|care agency|domiciliary care|care package|package of care|carer visits|care calls|"
       "agency carers|the agency"),
    _t("service", "social worker", "social worker", "social worker|social workers|social services|"
       "adult social care"),
    _t("service", "occupational therapist", "occupational therapist", "occupational therapist|ot|"
       "occupational therapy|ots"),
    _t("service", "physiotherapist", "physiotherapist", "physiotherapist|physio|physiotherapy|physios"),
    _t("service", "memory clinic", "memory clinic", "memory clinic|memory service|memory assessment service|"
       "memory team"),
    _t("service", "community mental health team", "community mental health team",
       "community mental health team|cmht|mental health team|crisis team|home treatment team"),
    _t("service", "cpn", "community psychiatric nurse", "cpn|community psychiatric nurse"),
    _t("service", "macmillan nurse", "Macmillan nurse", "macmillan nurse|macmillan nurses|macmillan"),
    _t("service", "palliative care", "palliative care team", "palliative care|palliative care team|"
       "palliative team|hospice at home|hospice team|end of life care"),
    _t("service", "speech and language therapist", "speech and language therapist",
       "speech and language therapist|salt|speech therapist|speech therapy|speech and language therapy|"
       "speech and language"),
    _t("service", "dietitian", "dietitian", "dietitian|dietician"),
    _t("service", "continence service", "continence service", "continence service|continence nurse|"
       "continence team|bladder and bowel service"),
    _t("service", "falls team", "falls team", "falls team|falls clinic|falls service"),
    _t("service", "heart failure nurse", "heart failure nurse", "heart failure nurse|heart failure team|"
       "cardiac nurse"),
    _t("service", "parkinson's nurse", "Parkinson's nurse", "parkinson's nurse|parkinsons nurse"),
    _t("service", "diabetes nurse", "diabetes nurse", "diabetes nurse|diabetic nurse|diabetes team"),
    _t("service", "respiratory team", "respiratory team", "respiratory nurse|respiratory team|copd nurse"),
    _t("service", "stroke team", "stroke team", "stroke team|stroke nurse|early supported discharge"),
    _t("service", "community matron", "community matron", "community matron|matron"),
    _t("service", "health visitor", "health visitor", "health visitor|health visitors|hv"),
    _t("service", "midwife", "midwife", "midwife|midwives|community midwife"),
    _t("service", "paediatrician", "paediatrician", "paediatrician|pediatrician|paediatrics"),
    _t("service", "camhs", "CAMHS", "camhs|child and adolescent mental health"),
    _t("service", "senco", "SENCO", "senco|senco at school"),
    _t("service", "day centre", "day centre", "day centre|day center|day care|day services|day service"),
    _t("service", "respite", "respite care", "respite|respite care|respite breaks"),
    _t("service", "meals on wheels", "meals on wheels", "meals on wheels|meal delivery|wiltshire farm foods"),
    _t("service", "befriender", "befriending service", "befriender|befriending|befriending service"),
    _t("service", "admiral nurse", "Admiral nurse", "admiral nurse|admiral nurses"),
    _t("service", "dementia adviser", "dementia adviser", "dementia adviser|dementia advisor|"
       "dementia support worker|dementia navigator"),
    _t("service", "reablement", "reablement team", "reablement|reablement team|enablement team|"
       "intermediate care|rehab team"),
    _t("service", "hospital at home", "hospital at home", "hospital at home|virtual ward"),
    _t("service", "consultant", "consultant", "consultant"),
    _t("service", "key worker", "key worker", "key worker|keyworker|lead professional"),
    _t("service", "care coordinator", "care coordinator", "care coordinator|care co ordinator"),
    _t("service", "podiatrist", "podiatrist", "podiatrist|chiropodist|podiatry|chiropody"),
    _t("service", "wheelchair service", "wheelchair service", "wheelchair service|wheelchair services"),
    _t("service", "learning disability team", "learning disability team", "learning disability team|"
       "cldt|community learning disability team"),
    _t("service", "family support worker", "family support worker", "family support worker|"
       "family support|early help|early help worker"),
    _t("service", "portage", "Portage", "portage"),
    _t("service", "school nurse", "school nurse", "school nurse"),
    _t("service", "epilepsy nurse", "epilepsy nurse", "epilepsy nurse"),
    _t("service", "ms nurse", "MS nurse", "ms nurse"),
    _t("service", "tissue viability nurse", "tissue viability nurse", "tissue viability nurse|"
       "tissue viability"),
    _t("service", "psychiatrist", "psychiatrist", "psychiatrist"),
    _t("service", "psychologist", "psychologist", "psychologist"),
    _t("service", "sitting service", "sitting service", "sitting service|sitter|night sitter"),
    _t("service", "age uk", "Age UK", "age uk|age concern"),
    _t("service", "alzheimer's society", "Alzheimer's Society", "alzheimer's society|alzheimers society"),
    _t("service", "hospice", "hospice", "hospice"),
    _t("service", "continuing healthcare", "NHS continuing healthcare", "continuing healthcare|chc|"
       "continuing health care"),
    _t("service", "dialysis unit", "dialysis unit", "dialysis unit"),
    _t("service", "pharmacy", "pharmacy", "pharmacy|pharmacist|chemist"),
]
# Services that are mentioned in passing far more often than they are "had": these need a
# stronger trigger than a bare "the".
WEAK_SERVICES = {"service:consultant", "service:pharmacy", "service:hospice", "service:social worker",
                 "service:continuing healthcare", "service:age uk", "service:alzheimer's society",
                 "service:midwife", "service:health visitor"}
# words after "carer"/"carers" that make it about the carer, not a care service
CARER_NOT_SERVICE = {"allowance", "assessment", "assessments", "break", "breaks", "card", "leave", "group",
                     "groups", "centre", "center", "support", "uk", "trust", "hub", "credit", "week",
                     "grant", "passport", "emergency", "contingency", "plan", "payment", "premium",
                     "association", "lead", "network", "forum", "café", "cafe", "rights", "line"}

# --- Communication ------------------------------------------------------------------------------
LANGUAGES = ("Punjabi|Urdu|Polish|Bengali|Bangla|Sylheti|Gujarati|Hindi|Arabic|Somali|Romanian|Portuguese|"
             "Spanish|Italian|French|Welsh|Gaelic|Irish|Cantonese|Mandarin|Chinese|Turkish|Kurdish|Farsi|"
             "Persian|Pashto|Tamil|Lithuanian|Latvian|Russian|Ukrainian|Tigrinya|Amharic|Greek|Czech|"
             "Slovak|Hungarian|Bulgarian|Albanian|Yoruba|Twi|Shona|Swahili|Tagalog|Vietnamese|"
             "Malayalam|Nepali|Sinhala|Dari|German|Dutch|Japanese|Korean|Thai|Hebrew|Yiddish|Igbo|"
             "Mirpuri|Pahari|Hakka|Estonian|Croatian|Serbian|Bosnian|Kurmanji|Sorani|Oromo|Lingala|"
             "Creole|Patois|Makaton|BSL").split("|")
SPOKEN_LANGUAGES = tuple(x for x in LANGUAGES if x not in ("Makaton", "BSL"))

# --- People --------------------------------------------------------------------------------------
# word -> canonical relationship (relative to the person texting)
RELATIONSHIPS: dict[str, str] = {}
_REL_SPEC = {
    "mother": "mum|mam|mom|mummy|mommy|mumma|mammy|mother|ma|mama|mamma|mumsy|mumma",
    "father": "dad|daddy|father|da|pa|papa|pops|dada|pop",
    "husband": "husband|hubby|hubs|oh|other half|husbnd",
    "wife": "wife|wifey|missus|misses|the missus",
    "partner": "partner|boyfriend|girlfriend|fiance|fiancé|fiancee|fiancée|civil partner",
    "son": "son|boy|lad|sons|youngest son|eldest son|stepson|step son",
    "daughter": "daughter|girl|daughters|stepdaughter|step daughter|dotter",
    "brother": "brother|bro|brothers|twin brother|half brother|brother in law",
    "sister": "sister|sis|sisters|twin sister|half sister|sister in law",
    "grandmother": "grandmother|grandma|gran|granny|nan|nana|nanna|nanny|nannie|grandmum|grandmom|nain|"
                   "great grandmother|great gran|great nan|grandmama",
    "grandfather": "grandfather|grandad|granddad|grandpa|gramps|grandpop|grampa|taid|great grandad|"
                   "great grandfather|gramp|grandaddy",
    "aunt": "aunt|auntie|aunty|great aunt|great auntie",
    "uncle": "uncle|great uncle",
    "niece": "niece|great niece",
    "nephew": "nephew|great nephew",
    "cousin": "cousin",
    "friend": "friend|best friend|mate|pal|bestie",
    "neighbour": "neighbour|neighbor|next door neighbour|elderly neighbour",
    "baby": "baby|newborn|new born|babba|babe|little baby|new baby|baby boy|baby girl",
    "child": "child|children|kid|kids|little one|little boy|little girl|toddler|foster child|"
             "foster son|foster daughter|stepchild|twins",
    "grandchild": "grandchild|grandson|granddaughter|grandchildren|grandkids|grandkid|granddaughters",
    "stepmother": "stepmother|stepmum|step mum|step mother|stepmom|step mom",
    "stepfather": "stepfather|stepdad|step dad|step father",
    "mother_in_law": "mother in law|mil|mum in law|mother inlaw|mother n law",
    "father_in_law": "father in law|fil|dad in law|father inlaw",
}
# SMS: "mums not on it", "dads been in hospital" (possessive/contracted without the apostrophe)
_REL_SPEC["mother"] += "|mums|mams|moms|mummys"
_REL_SPEC["father"] += "|dads|daddys"
_REL_SPEC["grandmother"] += "|nans|nanas|grans|grannys|nannas"
_REL_SPEC["grandfather"] += "|grandads|granddads|grandpas"
_REL_SPEC["husband"] += "|hubbys|husbands"
_REL_SPEC["wife"] += "|wifes"
for _rel, _words in _REL_SPEC.items():
    for _w in _words.split("|"):
        RELATIONSHIPS[_w] = _rel
# these need "my"/"our" in front to count ("the sister on the ward", "oh no", "ma'am")
REL_NEED_DETERMINER = {"ma", "pa", "da", "pop", "pops", "oh", "boy", "girl", "lad", "mate", "pal", "friend",
                       "partner", "neighbour", "neighbor", "baby", "babe", "babba", "kid", "kids", "child",
                       "children", "little one", "little boy", "little girl", "sis", "bro", "brother",
                       "sister", "brothers", "sisters", "son", "sons", "daughter", "daughters", "mil", "fil",
                       "cousin", "niece", "nephew", "uncle", "aunt", "toddler", "twins", "bestie",
                       "best friend", "missus", "misses", "the missus", "mama", "mamma", "papa", "dada",
                       "grandchild", "grandchildren", "grandkids", "grandkid", "grandson", "granddaughter",
                       "granddaughters", "foster child", "foster son", "foster daughter", "stepchild",
                       "newborn", "new born", "little baby", "new baby", "baby boy", "baby girl", "gramp",
                       "mumsy", "dotter", "other half", "stepson",
                       "step son", "stepdaughter", "step daughter", "half brother", "half sister",
                       "twin brother", "twin sister", "hubs", "civil partner", "boyfriend", "girlfriend",
                       "fiance", "fiancé", "fiancee", "fiancée", "elderly neighbour", "next door neighbour",
                       "brother in law", "sister in law", "great niece", "great nephew", "nain", "taid"}
# "the baby", "the kids" are fine with "the"
REL_THE_OK = {"baby", "newborn", "twins", "kids", "children", "little one", "baby boy", "baby girl",
              "new baby"}
# In-law brothers/sisters are not in the canonical list: treat them as the nearest kin word.
FEMALE = {"mother", "wife", "daughter", "sister", "grandmother", "aunt", "niece", "stepmother",
          "mother_in_law"}
MALE = {"father", "husband", "son", "brother", "grandfather", "uncle", "nephew", "stepfather",
        "father_in_law"}

FEMALE_NAMES = """
margaret mary patricia jean joan barbara betty dorothy doris edith elsie ethel eileen elizabeth
irene iris joyce kathleen maureen marjorie mavis nora norma olive pamela pauline peggy phyllis
rita ruth sheila shirley sylvia valerie vera violet winifred audrey beryl brenda carol christine
gillian gladys gwen gwendoline hilda ivy janet jennifer judith june linda lilian lillian lily
lucy marian marion maria marie martha molly nancy nellie pat rose rosemary sandra sarah susan
ann anne anna annie alice agnes amy ada beatrice bridget catherine cath cathy clara daphne
dolly ellen emily emma evelyn florence frances freda gertrude grace hannah hazel helen isabel
isobel jane jessie josephine julie karen kate katherine kathy laura lesley lorraine louise
lynne madeline mabel maggie marilyn michelle monica nicola paula rachel rebecca sally sharon
stella teresa theresa tracey tracy vivien wendy yvonne zoe olivia amelia isla ava mia ella
sophia sophie grace poppy evie charlotte isabella freya daisy lily ruby florence millie rosie
esme willow phoebe matilda harper jessica chloe megan holly ellie abigail erin leah niamh
aisha fatima amina zainab maryam khadija ayesha noor sana priya anjali sunita harjit
jaswinder kamaljit manjit gurpreet rajinder parveen shabana nasreen agnieszka katarzyna
magdalena joanna ewa anita bronwen rhiannon sian cerys ffion carys angharad eira nia
debbie deborah denise diane dianne donna elaine gail jackie jacqueline janice jill joanne
julia kim lisa mandy marianne natalie rachael samantha sam sue suzanne tina vicky victoria
jo jen jenny liz beth bev beverley val maz
"""
MALE_NAMES = """
harold john james william george thomas arthur albert alfred frank fred frederick ernest stanley
walter leonard kenneth ronald donald dennis derek douglas eric geoffrey gordon herbert jack
joseph norman peter raymond reginald robert roy sidney stan ted terence tom tony trevor victor
wilfred alan allan andrew anthony barry bernard bill billy brian charles charlie christopher
colin dave david edward gary geoff graham harry henry ian jim jimmy keith kevin mark martin
michael mick mike neil nigel paul phil philip richard rob robin roger steve stephen stuart
terry tim tommy vincent alfie oliver noah leo oscar arthur muhammad mohammed mohammad ahmed ali
hassan hussain ibrahim omar yusuf bilal imran tariq jamal raj rajesh sanjay arjun harjinder
jaswant kuldip balwinder gurdev piotr krzysztof tomasz marek pawel dafydd gareth rhys dylan
emrys iwan huw gwilym aled owen evan ethan jacob isaac lucas mason logan riley jayden archie
theo theodore finley freddie teddie teddy reggie ronnie jake josh joshua sam samuel ben
benjamin daniel dan luke matthew matt adam ryan liam callum connor kieran nathan jamie lee
craig darren dean jason karl lee ross scott shaun shane wayne carl chris dom dominic greg
jon jonathan kev les lenny len ken ron don des den reg sid ern wilf bert alf stu
"""
FEMALE_NAME_SET = set(FEMALE_NAMES.split())
MALE_NAME_SET = set(MALE_NAMES.split())
FIRST_NAMES = FEMALE_NAME_SET | MALE_NAME_SET
# names that are also everyday words: only taken as names when written with a capital
AMBIGUOUS_NAMES = {"rose", "grace", "will", "may", "june", "mark", "bill", "pat", "sue", "jack", "frank",
                   "hazel", "ivy", "lily", "holly", "daisy", "ruby", "poppy", "violet", "iris", "olive",
                   "robin", "sam", "jo", "dave", "stan", "ted", "roy", "jim", "rob", "mick", "phil", "dean",
                   "lee", "don", "ken", "len", "ron", "sid", "dom", "les", "val", "kim", "beth", "jen",
                   "tom", "jimmy", "ben", "dan", "matt", "carol", "dolly", "nancy", "pop", "kate", "jake",
                   "harper", "willow", "isla", "mia", "noor", "sana", "nia", "owen", "evan", "dylan",
                   "teddy", "leo", "josh", "chris", "alf", "bert", "reg", "des", "den", "stu", "kev",
                   "maz", "sally", "angel", "faith", "hope", "joy", "dawn", "summer", "april", "autumn",
                   "logan", "mason", "riley", "ross", "scott", "shane", "wayne", "gary", "craig"}

# --- Places --------------------------------------------------------------------------------------
POSTCODE_AREAS = set("""
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN
EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK
ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA
TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE EM
""".split())
STREET_SUFFIXES = ("road|rd|street|st|lane|ln|avenue|ave|close|drive|way|crescent|court|gardens|grove|place|"
                   "terrace|walk|hill|row|park|view|mews|square|green|rise|parade|vale|croft|fields|"
                   "meadow|meadows|gate|wharf|yard|brow|bank|chase|dale|end")
PRACTICE_SUFFIXES = ("surgery|medical centre|medical center|health centre|health center|medical practice|"
                     "group practice|family practice|medical group|practice|partnership|health practice")

# --- Appointments -----------------------------------------------------------------------------
APPOINTMENT_WORDS = ("appointment|appointments|check up|checkup|review|scan|blood test|blood tests|x ray|xray|"
                     "mri|ct scan|assessment|clinic|outpatients|outpatient appointment|follow up|consultation")
APPOINTMENT_TARGETS = (
    "memory clinic|memory service|hospital|gp|doctor|doctors|consultant|dentist|optician|opticians|audiology|"
    "hearing clinic|eye clinic|eye hospital|fracture clinic|diabetes clinic|diabetic clinic|heart clinic|"
    "cardiology|neurology|neurologist|oncology|chemo|physio|physiotherapy|ot|podiatry|podiatrist|"
    "chiropodist|practice nurse|nurse|falls clinic|outpatients|paediatrician|health visitor|midwife|camhs|"
    "psychiatrist|social worker|wheelchair service|renal clinic|respiratory clinic|stroke clinic|"
    "pain clinic|urology|dermatology|ent|orthopaedics|orthopaedic|ortho|surgeon|anaesthetist|"
    "pre op|pre assessment|asthma clinic|copd clinic|heart failure clinic|parkinson's clinic|"
    "parkinsons clinic|epilepsy clinic|baby clinic|surgery|memory assessment|eye test|hearing test|"
    "speech therapy|salt|dietitian|dietician|continence clinic|anticoagulation clinic|warfarin clinic|"
    "inr clinic|blood clinic"
)

# --- Language detection --------------------------------------------------------------------------
# Common function words of languages carers also write in (not English words).
FOREIGN_WORDS = set("""
mae fy yn ac ei wedi gyda ganddi ganddo hefyd mewn ydy oes dw rwy rydw ddim ond oed ysbyty efo iawn diolch
helo bore cymorth angen meddyg tabledi gofalu yr sydd nhw chi mynd byw cartref nos gen fi hen dwi mam-gu
jest moja mój moj tata nie się sie bierze lat lata ona jego jej przez dzień wieczorem rano szpitalu lekarz
choroba cukrzyca że czy jak ale bardzo pomoc potrzebuje mieszka sama opiekuję opiekuje matka ojciec mąż
żona córka tabletki leki mam mama ma jestem mój moja mojej mojego tak już jeszcze tylko może
es est el los las que con mi madre padre tiene años está une avec elle il sa mère père ans ce pas je
este cu ani meu minha mãe pai tem anos ela ele com não und ist mit meine mein hat jahre der das ein eine
nicht ich ve bir ben annem babam var yaşında mera meri hai hain aur nahi mujhe ammi abbu mere unko
ko ka ki se mein bhi ho kar ke liye
""".split()) - {"mam", "mama", "ma", "es", "pas", "ben", "hat", "var", "ist", "ich", "der", "das", "ace",
                 "ill", "est", "mein", "ko", "ka", "se", "ho", "kar", "ke", "ki", "bhi", "tak"}
