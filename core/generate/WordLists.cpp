// The word lists of the generator's helpers.
//
// Provenance and licence: every list below was written for Kinesis Workbench by its authors and
// is released with the project under the Apache License 2.0 (LICENSE). None is copied from
// faker.js or another data set. The names are common given names and family names, the places
// real city, state and country names and ISO 3166-1 alpha-2 codes (facts, not creative works),
// the street names plain English words; the lorem words are taken from the Latin of "Lorem
// ipsum" (Cicero, De finibus, 45 BC, public domain). The user agents are shortened forms of the
// strings browsers send. Month and weekday names are English.
#include "WordLists.h"

namespace kwb::generate::words {

namespace {
template<size_t N>
constexpr WordList list(const char *const (&items)[N])
{
    return WordList{items, N};
}

const char *const kFirstNames[] = {
    "Aaron", "Abigail", "Adam", "Ada", "Adrian", "Aisha", "Alan", "Alice", "Amara", "Amelia", "Ana", "Andrew",
    "Anna", "Arjun", "Ava", "Ben", "Bianca", "Carlos", "Carmen", "Charlotte", "Chen", "Chloe", "Daniel",
    "David", "Diego", "Dmitri", "Elena", "Eli", "Emily", "Emma", "Ethan", "Fatima", "Felix", "Fiona",
    "Gabriel", "Grace", "Hana", "Hannah", "Harper", "Hiro", "Ibrahim", "Ines", "Isaac", "Isabel", "Ivan",
    "Jack", "James", "Jana", "Javier", "Jin", "John", "Jonas", "Julia", "Kai", "Karim", "Kate", "Kenji",
    "Laila", "Lars", "Laura", "Leo", "Liam", "Lily", "Lucas", "Lucia", "Maria", "Mark", "Marta", "Mateo",
    "Maya", "Mei", "Mia", "Michael", "Mohammed", "Nadia", "Naomi", "Nina", "Noah", "Olga", "Oliver",
    "Omar", "Paul", "Pedro", "Priya", "Rafael", "Rahul", "Rosa", "Ruth", "Sam", "Sara", "Sofia", "Sven",
    "Tariq", "Thomas", "Una", "Victor", "Wei", "Yara", "Yusuf", "Zoe"};

const char *const kLastNames[] = {
    "Adams", "Ahmed", "Almeida", "Andersen", "Baker", "Becker", "Bianchi", "Brown", "Campbell", "Carter",
    "Chen", "Clark", "Costa", "Cruz", "Davies", "Diaz", "Dubois", "Evans", "Fischer", "Flores", "Garcia",
    "Gomez", "Gonzalez", "Green", "Hall", "Hansen", "Harris", "Hernandez", "Hill", "Ito", "Jackson",
    "Jensen", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "Kim", "King", "Kowalski", "Kumar", "Lee",
    "Lewis", "Li", "Lopez", "Martin", "Martinez", "Meyer", "Miller", "Moore", "Moreau", "Muller",
    "Murphy", "Nakamura", "Nguyen", "Nielsen", "Novak", "Okafor", "Olsen", "Park", "Patel", "Perez",
    "Petrov", "Popescu", "Ramirez", "Reyes", "Richter", "Roberts", "Rossi", "Russo", "Sanchez", "Santos",
    "Sato", "Schmidt", "Schneider", "Scott", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Taylor",
    "Thomas", "Thompson", "Torres", "Walker", "Wang", "Weber", "White", "Williams", "Wilson", "Wright",
    "Yamamoto", "Young", "Zhang", "Zimmermann"};

const char *const kNamePrefixes[] = {"Mr.", "Mrs.", "Ms.", "Miss", "Dr."};
const char *const kNameSuffixes[] = {"Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "PhD"};
const char *const kJobLevels[] = {"Lead", "Senior", "Direct", "Corporate", "Dynamic", "Future", "Product",
                                  "National", "Regional", "District", "Central", "Global", "Principal",
                                  "Internal", "International", "Chief"};
const char *const kJobAreas[] = {"Solutions", "Program", "Brand", "Security", "Research", "Marketing",
                                 "Directives", "Implementation", "Integration", "Functionality", "Response",
                                 "Paradigm", "Tactics", "Identity", "Markets", "Group", "Division",
                                 "Applications", "Optimization", "Operations", "Infrastructure", "Intranet",
                                 "Communications", "Web", "Branding", "Quality", "Assurance", "Mobility",
                                 "Accounts", "Data", "Creative", "Configuration", "Interactions", "Factors",
                                 "Usability", "Metrics"};
const char *const kJobTypes[] = {"Supervisor", "Associate", "Executive", "Liaison", "Officer", "Manager",
                                 "Engineer", "Specialist", "Director", "Coordinator", "Administrator",
                                 "Architect", "Analyst", "Designer", "Planner", "Orchestrator", "Technician",
                                 "Developer", "Producer", "Consultant", "Assistant", "Facilitator", "Agent",
                                 "Representative", "Strategist"};

const char *const kLorem[] = {
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipisci", "velit", "sed", "quia", "non",
    "numquam", "eius", "modi", "tempora", "incidunt", "ut", "labore", "et", "dolore", "magnam", "aliquam",
    "quaerat", "voluptatem", "enim", "ad", "minima", "veniam", "quis", "nostrum", "exercitationem",
    "ullam", "corporis", "suscipit", "laboriosam", "nisi", "aliquid", "ex", "ea", "commodi",
    "consequatur", "autem", "vel", "eum", "iure", "reprehenderit", "qui", "in", "voluptate", "esse",
    "quam", "nihil", "molestiae", "illum", "fugiat", "quo", "voluptas", "nulla", "pariatur", "at", "vero",
    "eos", "accusamus", "iusto", "odio", "dignissimos", "ducimus", "blanditiis", "praesentium",
    "deleniti", "atque", "corrupti", "quos", "dolores", "quas", "molestias", "excepturi", "sint",
    "obcaecati", "cupiditate", "provident", "similique", "sunt", "culpa", "officia", "deserunt",
    "mollitia", "animi", "id", "est", "laborum", "dolorum", "fuga", "harum", "quidem", "rerum",
    "facilis", "expedita", "distinctio", "nam", "libero", "tempore", "cum", "soluta", "nobis",
    "eligendi", "optio", "cumque", "impedit", "minus", "maxime", "placeat", "facere", "possimus",
    "omnis", "assumenda", "repellendus", "temporibus", "quibusdam", "officiis", "debitis", "aut",
    "necessitatibus", "saepe", "eveniet", "voluptates", "repudiandae", "recusandae", "itaque",
    "earum", "hic", "tenetur", "sapiente", "delectus", "reiciendis", "maiores", "alias", "perferendis",
    "doloribus", "asperiores", "repellat"};

const char *const kDomainSuffixes[] = {"com", "net", "org", "io", "info", "biz", "dev", "app", "co"};
const char *const kFreeEmailDomains[] = {"example.com", "example.net", "example.org", "mail.example",
                                         "inbox.example"};

const char *const kCities[] = {
    "Amsterdam", "Athens", "Auckland", "Austin", "Bangalore", "Bangkok", "Barcelona", "Berlin", "Bogota",
    "Boston", "Brisbane", "Brussels", "Budapest", "Buenos Aires", "Cairo", "Calgary", "Cape Town",
    "Chicago", "Copenhagen", "Dallas", "Delhi", "Denver", "Dubai", "Dublin", "Edinburgh", "Frankfurt",
    "Geneva", "Hamburg", "Helsinki", "Hong Kong", "Istanbul", "Jakarta", "Johannesburg", "Kyiv",
    "Lagos", "Lima", "Lisbon", "London", "Los Angeles", "Lyon", "Madrid", "Manchester", "Manila",
    "Melbourne", "Mexico City", "Miami", "Milan", "Montreal", "Mumbai", "Munich", "Nairobi", "New York",
    "Osaka", "Oslo", "Paris", "Perth", "Porto", "Prague", "Rome", "San Francisco", "Santiago",
    "Sao Paulo", "Seattle", "Seoul", "Shanghai", "Singapore", "Stockholm", "Sydney", "Taipei", "Tokyo",
    "Toronto", "Valencia", "Vancouver", "Vienna", "Warsaw", "Zurich"};

const char *const kStates[] = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
    "West Virginia", "Wisconsin", "Wyoming"};
const char *const kStateAbbreviations[] = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
    "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};

// Countries and their ISO 3166-1 alpha-2 codes, in the same order.
const char *const kCountries[] = {
    "Argentina", "Australia", "Austria", "Belgium", "Brazil", "Canada", "Chile", "China", "Colombia",
    "Czechia", "Denmark", "Egypt", "Finland", "France", "Germany", "Greece", "Hungary", "India",
    "Indonesia", "Ireland", "Israel", "Italy", "Japan", "Kenya", "Mexico", "Morocco", "Netherlands",
    "New Zealand", "Nigeria", "Norway", "Peru", "Philippines", "Poland", "Portugal", "Romania",
    "Singapore", "South Africa", "South Korea", "Spain", "Sweden", "Switzerland", "Thailand", "Turkey",
    "Ukraine", "United Arab Emirates", "United Kingdom", "United States", "Vietnam"};
const char *const kCountryCodes[] = {
    "AR", "AU", "AT", "BE", "BR", "CA", "CL", "CN", "CO", "CZ", "DK", "EG", "FI", "FR", "DE", "GR", "HU",
    "IN", "ID", "IE", "IL", "IT", "JP", "KE", "MX", "MA", "NL", "NZ", "NG", "NO", "PE", "PH", "PL", "PT",
    "RO", "SG", "ZA", "KR", "ES", "SE", "CH", "TH", "TR", "UA", "AE", "GB", "US", "VN"};
static_assert(sizeof kCountries == sizeof kCountryCodes, "one code per country");

const char *const kStreetSuffixes[] = {"Street", "Avenue", "Road", "Lane", "Drive", "Court", "Place",
                                       "Boulevard", "Way", "Terrace", "Square", "Row"};
const char *const kStreetNames[] = {
    "Oak", "Maple", "Pine", "Cedar", "Elm", "Willow", "Birch", "Chestnut", "Hawthorn", "Rose", "Lily",
    "Meadow", "River", "Lake", "Hill", "Valley", "Park", "Garden", "Church", "Mill", "Bridge", "Station",
    "Market", "King", "Queen", "High", "North", "South", "East", "West", "Harbor", "Orchard", "Forest",
    "Spring", "Sunset", "Highland", "Victoria", "Castle", "Kingfisher", "Falcon"};

const char *const kUserAgents[] = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    "curl/8.5.0"};
const char *const kHttpMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};

const char *const kProductAdjectives[] = {"Small", "Ergonomic", "Rustic", "Intelligent", "Gorgeous",
                                          "Incredible", "Fantastic", "Practical", "Sleek", "Awesome",
                                          "Generic", "Handcrafted", "Handmade", "Licensed", "Refined",
                                          "Unbranded", "Tasty", "Recycled", "Modern", "Elegant"};
const char *const kProductMaterials[] = {"Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite",
                                         "Rubber", "Metal", "Soft", "Fresh", "Frozen", "Bronze", "Wool",
                                         "Ceramic", "Glass", "Leather"};
const char *const kProducts[] = {"Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves",
                                 "Pants", "Shirt", "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna",
                                 "Chicken", "Fish", "Cheese", "Bacon", "Pizza", "Salad", "Sausages", "Chips",
                                 "Lamp", "Backpack", "Watch", "Kettle"};
const char *const kDepartments[] = {"Books", "Movies", "Music", "Games", "Electronics", "Computers", "Home",
                                    "Garden", "Tools", "Grocery", "Health", "Beauty", "Toys", "Kids", "Baby",
                                    "Clothing", "Shoes", "Jewelry", "Sports", "Outdoors", "Automotive",
                                    "Industrial"};
const char *const kColors[] = {"red", "green", "blue", "yellow", "purple", "orange", "black", "white",
                               "gray", "pink", "brown", "cyan", "magenta", "teal", "navy", "olive",
                               "maroon", "silver", "gold", "indigo"};
const char *const kCompanySuffixes[] = {"Inc", "and Sons", "LLC", "Group", "Ltd", "GmbH", "Partners", "Labs"};
const char *const kMonthNames[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
const char *const kWeekdayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                     "Saturday"};
} // namespace

const WordList firstNames = list(kFirstNames);
const WordList lastNames = list(kLastNames);
const WordList namePrefixes = list(kNamePrefixes);
const WordList nameSuffixes = list(kNameSuffixes);
const WordList jobLevels = list(kJobLevels);
const WordList jobAreas = list(kJobAreas);
const WordList jobTypes = list(kJobTypes);
const WordList lorem = list(kLorem);
const WordList domainSuffixes = list(kDomainSuffixes);
const WordList freeEmailDomains = list(kFreeEmailDomains);
const WordList cities = list(kCities);
const WordList states = list(kStates);
const WordList stateAbbreviations = list(kStateAbbreviations);
const WordList countries = list(kCountries);
const WordList countryCodes = list(kCountryCodes);
const WordList streetSuffixes = list(kStreetSuffixes);
const WordList streetNames = list(kStreetNames);
const WordList userAgents = list(kUserAgents);
const WordList httpMethods = list(kHttpMethods);
const WordList productAdjectives = list(kProductAdjectives);
const WordList productMaterials = list(kProductMaterials);
const WordList products = list(kProducts);
const WordList departments = list(kDepartments);
const WordList colors = list(kColors);
const WordList companySuffixes = list(kCompanySuffixes);
const WordList monthNames = list(kMonthNames);
const WordList weekdayNames = list(kWeekdayNames);

} // namespace kwb::generate::words
