/** Static reference tables of the seeded dataset (expense types, currencies, vendors, statuses). */

export interface ExpenseType {
  readonly code: string
  readonly name: string
  readonly spendCode: string
  readonly spendName: string
  /** The group-configuration `ExpenseCode` (OTHER, LODGING, PCARMILE ...). */
  readonly expenseCode: string
  /** Typical amount range in USD. */
  readonly min: number
  readonly max: number
  readonly vendors: readonly string[]
}

const et = (
  code: string,
  name: string,
  spendCode: string,
  spendName: string,
  expenseCode: string,
  min: number,
  max: number,
  vendors: readonly string[],
): ExpenseType => ({ code, name, spendCode, spendName, expenseCode, min, max, vendors })

export const EXPENSE_TYPES = {
  LODNG: et('LODNG', 'Hotel', 'LODGA', 'Lodging - Track Room Rate Spending', 'LODGING', 120, 900, [
    'Marriott',
    'Hilton',
    'Hyatt',
    'Accor',
    'IHG',
  ]),
  LODTX: et('LODTX', 'Hotel Tax', 'LODGA', 'Lodging - Track Room Rate Spending', 'LODGING', 5, 90, []),
  AIRFR: et('AIRFR', 'Airfare', 'AIRFA', 'Airfare', 'OTHER', 150, 1600, [
    'Delta Air Lines',
    'United Airlines',
    'Lufthansa',
    'Air Canada',
    'British Airways',
  ]),
  CARRT: et('CARRT', 'Car Rental', 'CARRT', 'Car Rental', 'OTHER', 60, 500, [
    'Hertz',
    'Avis',
    'Enterprise',
    'Sixt',
  ]),
  BUSML: et('BUSML', 'Entertainment - Clients', 'MEALS', 'Meals and Entertainment', 'OTHER', 40, 400, [
    'The Capital Grille',
    'Nobu',
    'Le Bernardin',
    'Osteria Mozza',
  ]),
  LUNCH: et('LUNCH', 'Lunch', 'MEALS', 'Meals and Entertainment', 'OTHER', 8, 45, [
    'Pret A Manger',
    'Chipotle',
    'Subway',
  ]),
  DINNR: et('DINNR', 'Dinner', 'MEALS', 'Meals and Entertainment', 'OTHER', 15, 90, [
    'Olive Garden',
    'Nando’s',
    'Wagamama',
  ]),
  TAXIX: et('TAXIX', 'Taxi', 'GRTRN', 'Ground Transportation', 'OTHER', 8, 90, [
    'Uber',
    'Lyft',
    'Yellow Cab',
  ]),
  PARKG: et('PARKG', 'Parking', 'GRTRN', 'Ground Transportation', 'OTHER', 5, 60, [
    'SP+ Parking',
    'ParkWhiz',
  ]),
  MILEG: et('MILEG', 'Personal Car Mileage', 'MILEG', 'Mileage', 'PCARMILE', 10, 180, []),
  CELPH: et('CELPH', 'Mobile/Cellular Phone', 'TELEC', 'Telecommunications', 'OTHER', 20, 120, [
    'Verizon',
    'AT&T',
    'Vodafone',
  ]),
  OFCSP: et('OFCSP', 'Office Equipment/Hardware', 'OFFIC', 'Office Supplies', 'OTHER', 15, 600, [
    'Staples',
    'Amazon',
    'Best Buy',
  ]),
  TRAIN: et('TRAIN', 'Public Transport', 'GRTRN', 'Ground Transportation', 'OTHER', 3, 120, [
    'Amtrak',
    'Deutsche Bahn',
    'SNCF',
  ]),
} as const satisfies Record<string, ExpenseType>
export type ExpenseTypeCode = keyof typeof EXPENSE_TYPES

/** The expense types an entry slot (0, 1, 2 of a report) can hold. Slot 0 `LODNG` is itemized; slot 1 `BUSML` has attendees. */
export const SLOT_TYPES: readonly (readonly ExpenseTypeCode[])[] = [
  ['LODNG', 'LODNG', 'AIRFR', 'CARRT'],
  ['BUSML', 'LUNCH', 'DINNR', 'TAXIX'],
  ['TAXIX', 'PARKG', 'MILEG', 'CELPH', 'OFCSP', 'TRAIN'],
]

export interface Country {
  readonly code: string
  readonly name: string
  readonly currency: string
  /** Units of the currency per USD (rounded, for realistic amounts). */
  readonly rate: number
  readonly decimals: number
  readonly hasVat: boolean
  readonly cities: readonly {
    name: string
    subdivision: string | null
    region: string
    iata: string
    lat: number
    lon: number
  }[]
}

export const COUNTRIES: readonly Country[] = [
  {
    code: 'US',
    name: 'United States',
    currency: 'USD',
    rate: 1,
    decimals: 2,
    hasVat: false,
    cities: [
      {
        name: 'Seattle',
        subdivision: 'US-WA',
        region: 'Washington',
        iata: 'SEA',
        lat: 47.6062,
        lon: -122.3321,
      },
      {
        name: 'Bellevue',
        subdivision: 'US-WA',
        region: 'Washington',
        iata: 'BFI',
        lat: 47.6101,
        lon: -122.2015,
      },
      { name: 'New York', subdivision: 'US-NY', region: 'New York', iata: 'JFK', lat: 40.7128, lon: -74.006 },
      { name: 'Chicago', subdivision: 'US-IL', region: 'Illinois', iata: 'ORD', lat: 41.8781, lon: -87.6298 },
      { name: 'Austin', subdivision: 'US-TX', region: 'Texas', iata: 'AUS', lat: 30.2672, lon: -97.7431 },
    ],
  },
  {
    code: 'CA',
    name: 'Canada',
    currency: 'CAD',
    rate: 1.35,
    decimals: 2,
    hasVat: true,
    cities: [
      {
        name: 'Vancouver',
        subdivision: 'CA-BC',
        region: 'British Columbia',
        iata: 'YVR',
        lat: 49.2827,
        lon: -123.1207,
      },
      { name: 'Montreal', subdivision: 'CA-QC', region: 'Quebec', iata: 'YUL', lat: 45.5017, lon: -73.5673 },
      { name: 'Toronto', subdivision: 'CA-ON', region: 'Ontario', iata: 'YYZ', lat: 43.6532, lon: -79.3832 },
    ],
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    currency: 'GBP',
    rate: 0.79,
    decimals: 2,
    hasVat: true,
    cities: [
      { name: 'London', subdivision: 'GB-LND', region: 'England', iata: 'LHR', lat: 51.5074, lon: -0.1278 },
      {
        name: 'Manchester',
        subdivision: 'GB-MAN',
        region: 'England',
        iata: 'MAN',
        lat: 53.4808,
        lon: -2.2426,
      },
    ],
  },
  {
    code: 'DE',
    name: 'Germany',
    currency: 'EUR',
    rate: 0.92,
    decimals: 2,
    hasVat: true,
    cities: [
      { name: 'Berlin', subdivision: 'DE-BE', region: 'Berlin', iata: 'BER', lat: 52.52, lon: 13.405 },
      { name: 'Munich', subdivision: 'DE-BY', region: 'Bavaria', iata: 'MUC', lat: 48.1351, lon: 11.582 },
    ],
  },
  {
    code: 'FR',
    name: 'France',
    currency: 'EUR',
    rate: 0.92,
    decimals: 2,
    hasVat: true,
    cities: [
      {
        name: 'Paris',
        subdivision: 'FR-75',
        region: 'Île-de-France',
        iata: 'CDG',
        lat: 48.8566,
        lon: 2.3522,
      },
    ],
  },
  {
    code: 'JP',
    name: 'Japan',
    currency: 'JPY',
    rate: 150,
    decimals: 0,
    hasVat: true,
    cities: [
      { name: 'Tokyo', subdivision: 'JP-13', region: 'Tokyo', iata: 'HND', lat: 35.6762, lon: 139.6503 },
    ],
  },
  {
    code: 'AU',
    name: 'Australia',
    currency: 'AUD',
    rate: 1.5,
    decimals: 2,
    hasVat: true,
    cities: [
      {
        name: 'Sydney',
        subdivision: 'AU-NSW',
        region: 'New South Wales',
        iata: 'SYD',
        lat: -33.8688,
        lon: 151.2093,
      },
      {
        name: 'Melbourne',
        subdivision: 'AU-VIC',
        region: 'Victoria',
        iata: 'MEL',
        lat: -37.8136,
        lon: 144.9631,
      },
    ],
  },
  {
    code: 'CH',
    name: 'Switzerland',
    currency: 'CHF',
    rate: 0.88,
    decimals: 2,
    hasVat: true,
    cities: [
      { name: 'Zurich', subdivision: 'CH-ZH', region: 'Zurich', iata: 'ZRH', lat: 47.3769, lon: 8.5417 },
    ],
  },
  {
    code: 'IN',
    name: 'India',
    currency: 'INR',
    rate: 83,
    decimals: 2,
    hasVat: true,
    cities: [
      { name: 'Mumbai', subdivision: 'IN-MH', region: 'Maharashtra', iata: 'BOM', lat: 19.076, lon: 72.8777 },
    ],
  },
  {
    code: 'MX',
    name: 'Mexico',
    currency: 'MXN',
    rate: 17,
    decimals: 2,
    hasVat: true,
    cities: [
      {
        name: 'Mexico City',
        subdivision: 'MX-CMX',
        region: 'Ciudad de México',
        iata: 'MEX',
        lat: 19.4326,
        lon: -99.1332,
      },
    ],
  },
]

/** Weights of `COUNTRIES` (the US dominates, as in most Concur companies). */
export const COUNTRY_WEIGHTS = [50, 10, 10, 7, 5, 4, 5, 3, 3, 3]

/** A consistent pair of approval and payment status (with what has happened to the report). */
export interface StatusCombo {
  readonly approvalCode: string
  readonly approvalName: string
  readonly paymentCode: string
  readonly paymentName: string
  readonly submitted: boolean
  readonly processing: boolean
  readonly paid: boolean
  readonly weight: number
}

const st = (
  approvalCode: string,
  approvalName: string,
  paymentCode: string,
  paymentName: string,
  submitted: boolean,
  processing: boolean,
  paid: boolean,
  weight: number,
): StatusCombo => ({
  approvalCode,
  approvalName,
  paymentCode,
  paymentName,
  submitted,
  processing,
  paid,
  weight,
})

export const STATUS_COMBOS: readonly StatusCombo[] = [
  st('A_NOTF', 'Not Submitted', 'P_NOTP', 'Not Paid', false, false, false, 18),
  st('A_PEND', 'Submitted & Pending Approval', 'P_NOTP', 'Not Paid', true, false, false, 10),
  st('A_FILE', 'Submitted', 'P_NOTP', 'Not Paid', true, false, false, 4),
  st('A_ACCO', 'Pending Reviews', 'P_NOTP', 'Not Paid', true, false, false, 5),
  st('A_EXTV', 'Pending External Validation', 'P_NOTP', 'Not Paid', true, false, false, 3),
  st('A_RESU', 'Returned', 'P_NOTP', 'Not Paid', true, false, false, 3),
  st('A_RHLD', 'Pending Receipt Images', 'P_NOTP', 'Not Paid', true, false, false, 2),
  st('A_APPR', 'Approved', 'P_PROC', 'Processing Payment', true, true, false, 9),
  st('A_APPR', 'Approved', 'P_HOLD', 'On Hold', true, false, false, 2),
  st('A_APPR', 'Approved', 'P_PAID', 'Sent for Payment', true, true, true, 30),
  st('A_APPR', 'Approved', 'P_PAYC', 'Payment Confirmed', true, true, true, 14),
]

/** Reimbursement methods and their weights. */
export const REIMBURSEMENT = [
  ['CNQRPAY', 40],
  ['APCHECK', 25],
  ['PMTSERV', 20],
  ['ADPPAYR', 15],
] as const

/** The payment types of every company (`PaymentTypeID`s are per company). */
export const PAYMENT_TYPES = [
  { name: 'Cash', code: 'CASH', employeePays: true },
  { name: 'Company Paid', code: 'CBCP', employeePays: false },
  { name: 'Pending Card Transaction', code: 'COPD', employeePays: false },
] as const

/** The seeded attendee types (the first six attendee-type records of every company). */
export const ATTENDEE_TYPES = [
  {
    code: 'BUSGUEST',
    name: 'Business Guest',
    fields: ['Title', 'Company', 'OwnerEmpName', 'FirstName', 'LastName'],
  },
  { code: 'EMPLOYEE', name: 'Employee', fields: ['FirstName', 'LastName', 'ExternalId'] },
  { code: 'SPOUSE', name: 'Spouse', fields: ['FirstName', 'LastName'] },
  {
    code: 'HCP',
    name: 'Healthcare Professional',
    fields: ['Title', 'Custom18', 'ExternalId', 'FirstName', 'LastName', 'Custom7', 'Custom14'],
  },
  { code: 'NOSHOWS', name: 'No Shows', fields: ['LastName'] },
  { code: 'PRIVATE', name: 'Private', fields: ['FirstName', 'LastName', 'Company'] },
] as const

/** Expense group configurations of every company (one policy each). */
export const GROUP_CONFIGS = [
  { name: 'United States', policy: '*US Expense Policy', country: 'US' },
  { name: 'Canada', policy: '*Canada Expense Policy', country: 'CA' },
  { name: 'United Kingdom', policy: '*Global Expense Policy', country: 'GB' },
] as const

/** Lists of every company: name, levels (1 or 2), vendor list flag. Each holds `LIST_ITEMS_PER_LIST` items. */
export const LISTS = [
  { name: 'Cost Centers', levels: 1, vendor: false, search: 'CODE' },
  { name: 'Projects', levels: 2, vendor: false, search: 'TEXT' },
  { name: 'Departments', levels: 1, vendor: false, search: 'TEXT' },
  { name: 'Preferred Vendors', levels: 1, vendor: true, search: 'TEXT' },
  { name: 'Regions', levels: 2, vendor: false, search: 'CODE' },
  { name: 'GL Accounts', levels: 1, vendor: false, search: 'CODE' },
] as const
